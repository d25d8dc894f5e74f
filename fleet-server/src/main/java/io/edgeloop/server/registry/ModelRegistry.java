package io.edgeloop.server.registry;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.tracking.RunRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Registers trained models as versions and moves them through their stages. Leaving
 * {@code candidate} for staging or production passes the {@link EvaluationGate} against the
 * current production version on a holdout set, and every gate decision is recorded, refused
 * ones included. Promoting to production archives the previous production version.
 */
public final class ModelRegistry {
    private final ModelVersionRepository versions;
    private final EvaluationGate gate;

    public ModelRegistry(ModelVersionRepository versions, EvaluationGate gate) {
        this.versions = versions;
        this.gate = gate;
    }

    /** Registers a successful run's model as the next {@code candidate} version of {@code name}. */
    public ModelVersion register(String name, RunRecord run) throws EdgeLoopException {
        if (!RunRecord.SUCCEEDED.equals(run.status())) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "run " + run.id() + " is " + run.status()
                    + "; only a succeeded run can be registered");
        }
        String model = run.artifacts().get("model.onnx");
        if (model == null) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "run " + run.id() + " has no model.onnx artifact");
        }
        Integer parent = versions.inStage(name, ModelStage.PRODUCTION).map(ModelVersion::version).orElse(null);
        return versions.insertNext(new ModelVersion(name, 0, run.id(), run.datasetSha256(), parent,
                ModelStage.CANDIDATE, model, run.metrics(), Instant.now().toString()));
    }

    /**
     * Moves {@code name} v{@code version} to {@code target}. Throws EVALUATION_GATE_FAILED (after
     * recording the decision) when the gate refuses.
     *
     * @param holdout the holdout set the gate scores candidate and production on; required when
     *                leaving {@code candidate}
     */
    public PromotionResult promote(String name, int version, ModelStage target, Dataset holdout) throws EdgeLoopException {
        ModelVersion v = get(name, version);
        if (!v.stage().canMoveTo(target)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, name + " v" + version + " is " + v.stage().id()
                    + " and cannot move to " + target.id());
        }
        GateDecision decision = null;
        if (v.stage() == ModelStage.CANDIDATE && target != ModelStage.ARCHIVED) {
            if (holdout == null) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "promoting a candidate needs a holdout dataset for the gate");
            }
            ModelVersion production = versions.inStage(name, ModelStage.PRODUCTION).orElse(null);
            decision = gate.decide(v, production, holdout);
            versions.recordDecision(decision);
            if (!decision.passed()) {
                throw new EdgeLoopException(ErrorCode.EVALUATION_GATE_FAILED, name + " v" + version + " refused: "
                        + decision.reason());
            }
        }
        if (target == ModelStage.PRODUCTION) {
            Optional<ModelVersion> old = versions.inStage(name, ModelStage.PRODUCTION);
            if (old.isPresent() && old.get().version() != version) {
                versions.updateStage(name, old.get().version(), ModelStage.ARCHIVED);
            }
        }
        versions.updateStage(name, version, target);
        return new PromotionResult(v.withStage(target), decision);
    }

    /** A version after its promotion, and the gate decision when the gate ran (else null). */
    public record PromotionResult(ModelVersion version, GateDecision decision) {
    }

    public ModelVersion get(String name, int version) throws EdgeLoopException {
        return versions.find(name, version).orElseThrow(() ->
                new EdgeLoopException(ErrorCode.MODEL_NOT_FOUND, "no version " + version + " of model '" + name + "'"));
    }

    public List<ModelVersion> versions(String name) throws EdgeLoopException {
        return versions.versions(name);
    }

    public List<ModelVersion> all() throws EdgeLoopException {
        return versions.all();
    }

    public List<GateDecision> decisions(String name) throws EdgeLoopException {
        return versions.decisions(name);
    }
}
