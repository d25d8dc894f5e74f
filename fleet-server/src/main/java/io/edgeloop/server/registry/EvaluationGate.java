package io.edgeloop.server.registry;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetDigest;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Compares a candidate with the production version on one holdout set, both scored by ONNX
 * Runtime from their exported files: the candidate passes when its accuracy is at least
 * production's minus the tolerance (or when there is no production version yet).
 */
public final class EvaluationGate {
    public static final String METRIC = "accuracy";

    /**
     * @param tolerance how much accuracy a candidate may lose against production and still pass
     */
    public record Options(double tolerance) {
        public static final double DEFAULT_TOLERANCE = 0.005;

        public Options {
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("gate tolerance must be in [0, 1): " + tolerance);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_TOLERANCE);
        }
    }

    private final Options options;
    private final OnnxHoldoutEvaluator evaluator;

    public EvaluationGate(Options options, OnnxHoldoutEvaluator evaluator) {
        this.options = options;
        this.evaluator = evaluator;
    }

    public GateDecision decide(ModelVersion candidate, ModelVersion production, Dataset holdout) throws EdgeLoopException {
        String sha = DatasetDigest.sha256(holdout);
        double candidateValue = evaluator.evaluate(Path.of(candidate.modelPath()), holdout).accuracy();
        String now = Instant.now().toString();
        if (production == null) {
            return new GateDecision(candidate.name(), candidate.version(), null, METRIC, candidateValue, Double.NaN,
                    options.tolerance(), sha, true, "no production version to compare with", now);
        }
        double productionValue = evaluator.evaluate(Path.of(production.modelPath()), holdout).accuracy();
        double floor = productionValue - options.tolerance();
        boolean passed = candidateValue >= floor;
        String reason = String.format("candidate v%d %s %.4f %s production v%d %.4f - tolerance %.4f = %.4f on %d holdout samples",
                candidate.version(), METRIC, candidateValue, passed ? ">=" : "<", production.version(), productionValue,
                options.tolerance(), floor, holdout.size());
        return new GateDecision(candidate.name(), candidate.version(), production.version(), METRIC, candidateValue,
                productionValue, options.tolerance(), sha, passed, reason, now);
    }
}
