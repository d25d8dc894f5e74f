package io.edgeloop.packager.pkg;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.eval.ClassificationMetrics;
import io.edgeloop.packager.eval.Predictions;
import io.edgeloop.packager.eval.SpeedMeter;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.packager.onnx.TensorInfo;
import io.edgeloop.protocol.EdgeLoopException;

/**
 * Runs one variant's model over the reference data in ONNX Runtime and measures what the
 * manifest records: accuracy, macro F1, agreement with fp32, single-sample latency and batch
 * throughput on this host (with the eval package's {@link Predictions} and {@link SpeedMeter}).
 */
final class VariantEvaluator {

    /**
     * @param batchSize         samples per call when measuring accuracy and throughput
     * @param latencyRuns       timed single-sample calls for the median latency (after a quarter as many warm-ups)
     * @param throughputNanos   how long throughput is measured at least
     */
    record Options(int batchSize, int latencyRuns, long throughputNanos, RunnerOptions runner) {
        static final int DEFAULT_BATCH_SIZE = 64;
        static final int DEFAULT_LATENCY_RUNS = 200;
        static final long DEFAULT_THROUGHPUT_NANOS = 300_000_000L;
    }

    /** Probabilities (one row per sample), predictions and measured figures of one variant. */
    record Evaluation(float[][] probabilities, int[] predicted, ClassificationMetrics metrics, double latencyUsP50,
                      double throughputPerS) {
        double agreementWith(Evaluation other) {
            return Predictions.agreement(predicted, other.predicted);
        }
    }

    private final Options options;

    VariantEvaluator(Options options) {
        this.options = options;
    }

    /** Evaluates a classifier by its first output: class probabilities or logits (see {@link ClassScores}). */
    Evaluation evaluate(OnnxModel model, Dataset data) throws EdgeLoopException {
        TensorInfo input = model.inputs().get(0);
        try (OrtRunner runner = new OrtRunner(model, options.runner())) {
            float[][] probabilities = Predictions.outputs(runner, input, data, options.batchSize());
            int[] predicted = Predictions.argmax(probabilities);
            ClassificationMetrics metrics = ClassificationMetrics.of(Predictions.labels(data), predicted,
                    data.classNames().size());
            SpeedMeter.Latency latency = SpeedMeter.latency(runner, input, data,
                    Math.max(1, options.latencyRuns() / 4), options.latencyRuns());
            double throughput = SpeedMeter.throughput(runner, input, data, options.batchSize(), options.throughputNanos());
            return new Evaluation(probabilities, predicted, metrics, latency.p50Us(), throughput);
        }
    }
}
