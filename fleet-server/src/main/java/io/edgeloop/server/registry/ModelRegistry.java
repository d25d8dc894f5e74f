package io.edgeloop.server.registry;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.tracking.RunRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers trained models as versions and moves them through their stages. Leaving
 * {@code candidate} for staging or production passes the {@link EvaluationGate} against the
 * current production version on a holdout set, and every gate decision is recorded, refused
 * ones included. Promoting to production archives the previous production version. Every stage
 * change and every gate decision is in the audit log with its figures (candidate and production
 * values, tolerance, floor, holdout digest and size, verdict), written in the transaction that
 * records it.
 */
public final class ModelRegistry {
    private final ModelVersionRepository versions;
    private final EvaluationGate gate;
    private final AuditLog audit;

    /** A registry auditing into its repository's database. */
    public ModelRegistry(ModelVersionRepository versions, EvaluationGate gate) {
        this(versions, gate, new AuditLog(versions.database(), Clock.systemUTC()));
    }

    public ModelRegistry(ModelVersionRepository versions, EvaluationGate gate, AuditLog audit) {
        this.versions = versions;
        this.gate = gate;
        this.audit = audit;
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

    /** {@link #promote(Actor, String, int, ModelStage, Dataset)} decided by the server itself. */
    public PromotionResult promote(String name, int version, ModelStage target, Dataset holdout) throws EdgeLoopException {
        return promote(Actor.SYSTEM, name, version, target, holdout);
    }

    /**
     * Moves {@code name} v{@code version} to {@code target}. Throws EVALUATION_GATE_FAILED (after
     * recording and auditing the decision) when the gate refuses.
     *
     * @param actor   who asked, as the audit log records it
     * @param holdout the holdout set the gate scores candidate and production on; required when
     *                leaving {@code candidate}
     */
    public PromotionResult promote(Actor actor, String name, int version, ModelStage target, Dataset holdout)
            throws EdgeLoopException {
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
            if (!decision.passed()) {
                GateDecision refused = decision;
                versions.database().transaction(c -> {
                    versions.recordDecision(c, refused);
                    audit.record(c, actor, "model.promote.refused", target(name, version), Map.of("stage", v.stage().name()),
                            figures(refused, holdout, target));
                    return null;
                });
                throw new EdgeLoopException(ErrorCode.EVALUATION_GATE_FAILED, name + " v" + version + " refused: "
                        + decision.reason());
            }
        }
        GateDecision passed = decision;
        Optional<ModelVersion> old = target == ModelStage.PRODUCTION ? versions.inStage(name, ModelStage.PRODUCTION)
                .filter(o -> o.version() != version) : Optional.empty();
        versions.database().transaction(c -> {
            if (passed != null) {
                versions.recordDecision(c, passed);
            }
            if (old.isPresent()) {
                versions.updateStage(c, name, old.get().version(), ModelStage.ARCHIVED);
                audit.record(c, actor, "model.stage", target(name, old.get().version()),
                        Map.of("stage", ModelStage.PRODUCTION.name()), Map.of("stage", ModelStage.ARCHIVED.name(),
                                "replacedBy", version));
            }
            versions.updateStage(c, name, version, target);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("stage", target.name());
            if (passed != null) {
                after.put("gate", figures(passed, holdout, target));
            }
            audit.record(c, actor, passed == null ? "model.stage" : "model.promote", target(name, version),
                    Map.of("stage", v.stage().name()), after);
            return null;
        });
        return new PromotionResult(v.withStage(target), decision);
    }

    static String target(String name, int version) {
        return "model:" + name + "@v" + version;
    }

    /** A gate decision's figures for the audit log. */
    static Map<String, Object> figures(GateDecision d, Dataset holdout, ModelStage target) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("verdict", d.decision());
        f.put("targetStage", target.name());
        f.put("metric", d.metric());
        f.put("candidateVersion", d.candidateVersion());
        f.put("candidateValue", d.candidateValue());
        f.put("productionVersion", d.productionVersion());
        f.put("productionValue", Double.isNaN(d.productionValue()) ? null : d.productionValue());
        f.put("tolerance", d.tolerance());
        f.put("floor", Double.isNaN(d.productionValue()) ? null : d.productionValue() - d.tolerance());
        f.put("holdoutSha256", d.holdoutSha256());
        f.put("holdoutName", holdout.name());
        f.put("holdoutSamples", holdout.size());
        f.put("reason", d.reason());
        return f;
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
