package io.edgeloop.server.retraining;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorResponse;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.captures.CaptureStore;
import io.edgeloop.server.captures.StoredCapture;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.publish.VersionPackager;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.registry.ModelStage;
import io.edgeloop.server.registry.ModelVersion;
import io.edgeloop.server.retraining.policy.GateSpec;
import io.edgeloop.server.retraining.policy.RetrainingPolicy;
import io.edgeloop.server.retraining.policy.TrainingSpec;
import io.edgeloop.server.rollout.RolloutService;
import io.edgeloop.server.tracking.RunRepository;
import io.edgeloop.server.training.ModelArchitecture;
import io.edgeloop.server.training.TrainingOptions;
import io.edgeloop.server.training.TrainingPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out one RETRAIN decision: builds the mixed training set from the drifted devices'
 * labelled captures and the original dataset, trains the candidate (progress into the decision
 * and the log), registers it with the production version as parent, gates it against production
 * on the drifted holdout and the clean dataset, promotes it, packages it with the server's key,
 * and starts the rollout from the policy's template. Each step moves the decision's state;
 * the gate and the rollout are audited with their figures.
 */
final class RetrainingJob implements RetrainingRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainingJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the job needs, wired once by the service. */
    record Parts(Database db, RetrainingStore store, AuditLog audit, CaptureStore captures, TrainingSetBuilder sets,
                 DatasetLoader loader, RunRepository runs, String codeVersion, ModelRegistry registry,
                 OnnxHoldoutEvaluator evaluator, VersionPackager packager, RolloutService rollouts, Path runsDir,
                 Clock clock) {
    }

    private final Parts parts;
    private final DecisionEnds ends;

    RetrainingJob(Parts parts, DecisionEnds ends) {
        this.parts = parts;
        this.ends = ends;
    }

    @Override
    public void run(StoredDecision d, RetrainingPolicy policy) {
        String id = d.id();
        try {
            List<String> drifted = new ArrayList<>();
            d.figures().path("driftedDevices").forEach(n -> drifted.add(n.asText()));
            long since = d.figures().path("capturesSinceMillis").asLong(0);
            progress(id, DecisionState.TRAINING, "reading the labelled captures of " + String.join(", ", drifted));
            List<StoredCapture> labelled = parts.captures().labelled(d.model(), drifted, since, policy.mix().maxCaptures());
            TrainingSetBuilder.Built set = parts.sets().build(id, policy, labelled);
            TrainingOptions options = options(policy.training());
            PrintStream progress = ProgressLines.to(line -> {
                LOG.info("retraining {}: {}", id, line);
                progressQuietly(id, "training: " + line);
            });
            TrainingPipeline pipeline = new TrainingPipeline(parts.loader(), parts.runs(), parts.codeVersion(), progress);
            String runId = pipeline.begin(set.spec(), options);
            String datasetSha = io.edgeloop.packager.data.DatasetDigest.sha256(set.split().train(),
                    set.split().validation(), set.split().test());
            parts.db().transaction(c -> {
                parts.store().insertTrainingSet(c, new RetrainingStore.TrainingSet(runId, id, d.model(), null, datasetSha,
                        set.datasets(), set.mix(), parts.clock().millis(), set.captures()));
                parts.store().update(c, id, parts.clock().millis(), columns("run_id", runId, "progress",
                        "training run " + runId + " on " + set.split().train().size() + " rows (" + set.mix().get("capturedRows")
                                + " of them " + set.mix().get("capturedTrain") + " captures x" + set.mix().get("repeats") + ")"));
                return null;
            });
            pipeline.run(runId, set.spec(), set.split(), options, parts.runsDir().resolve(runId));
            ModelVersion candidate = parts.registry().register(d.model(), parts.runs().get(runId));
            parts.db().transaction(c -> {
                parts.store().setTrainingSetVersion(c, runId, candidate.version());
                parts.store().update(c, id, parts.clock().millis(), columns("candidate_version", candidate.version(),
                        "progress", "gating v" + candidate.version() + " against v" + d.productionVersion()));
                return null;
            });
            ModelVersion production = parts.registry().get(d.model(), d.productionVersion());
            GateSpec.Result gate = gate(policy.gate(), candidate, production, set);
            ObjectNode gateJson = JSON.valueToTree(gate.json());
            gateJson.put("candidateVersion", candidate.version()).put("productionVersion", production.version());
            DecisionState after = gate.passed() ? DecisionState.GATED : DecisionState.REJECTED;
            parts.db().transaction(c -> {
                parts.store().update(c, id, parts.clock().millis(), columns("state", after, "gate", gateJson, "progress",
                        gate.passed() ? "gate passed: " + gate.reason() : "gate refused: " + gate.reason()));
                parts.audit().record(c, Actor.SYSTEM, "retraining.gate", target(d.model()), null,
                        withDecision(id, gateJson));
                return null;
            });
            LOG.info("retraining {}: {} {}", id, after, gate.reason());
            if (!gate.passed()) {
                end(id, d.model(), DecisionState.REJECTED, "gate refused: " + gate.reason(), null);
                return;
            }
            parts.registry().promote(d.model(), candidate.version(), ModelStage.PRODUCTION, set.holdout());
            progress(id, DecisionState.GATED, "packaging v" + candidate.version());
            VersionPackager.Published pkg = parts.packager().publish(Actor.SYSTEM, d.model(), candidate.version(), null,
                    parts.loader().load(policy.packaging().calibrationDataset()),
                    parts.loader().load(policy.packaging().referenceDataset()));
            parts.db().transaction(c -> {
                parts.store().update(c, id, parts.clock().millis(), columns("package_name", pkg.stored().name(),
                        "package_version", pkg.stored().version()));
                return null;
            });
            if (policy.rollout() == null) {
                end(id, d.model(), DecisionState.DONE, "packaged " + pkg.stored().name() + ":" + pkg.stored().version()
                        + "; the policy has no rollout template", null);
                return;
            }
            ObjectNode body = policy.rollout().deepCopy();
            body.put("package", pkg.stored().name() + ":" + pkg.stored().version());
            ObjectNode created = parts.rollouts().create(Actor.SYSTEM, body);
            String rolloutId = created.path("rolloutId").asText();
            parts.db().transaction(c -> {
                parts.store().update(c, id, parts.clock().millis(), columns("state", DecisionState.ROLLING_OUT,
                        "rollout_id", rolloutId, "progress", "rolling out " + body.path("package").asText() + " as "
                                + rolloutId));
                ObjectNode audit = JSON.createObjectNode();
                audit.put("decisionId", id).put("rolloutId", rolloutId).put("package", body.path("package").asText())
                        .put("candidateVersion", candidate.version());
                audit.set("rollout", body);
                parts.audit().record(c, Actor.SYSTEM, "retraining.rollout", target(d.model()), null, audit);
                return null;
            });
            LOG.info("retraining {}: rolling out {} as {}", id, body.path("package").asText(), rolloutId);
        } catch (Exception | Error e) {
            ErrorResponse answer = ErrorResponse.of(e);
            String message = answer.body().get("code") + ": " + answer.body().get("error");
            LOG.warn("retraining {} failed: {}", id, message, answer.expected() ? null : ErrorResponse.unwrap(e));
            try {
                end(id, d.model(), DecisionState.FAILED, "failed", message);
            } catch (EdgeLoopException storing) {
                LOG.error("cannot record that retraining {} failed", id, storing);
            }
        }
    }

    /** Candidate and production scored by ONNX Runtime on the drifted holdout and the clean dataset. */
    private GateSpec.Result gate(GateSpec spec, ModelVersion candidate, ModelVersion production,
                                 TrainingSetBuilder.Built set) throws EdgeLoopException {
        OnnxHoldoutEvaluator e = parts.evaluator();
        Path c = Path.of(candidate.modelPath());
        Path p = Path.of(production.modelPath());
        return spec.judge(e.evaluate(c, set.holdout()).accuracy(), e.evaluate(p, set.holdout()).accuracy(),
                set.holdout().size(), e.evaluate(c, set.clean()).accuracy(), e.evaluate(p, set.clean()).accuracy(),
                set.clean().size());
    }

    private void end(String id, String model, DecisionState state, String progress, String error) throws EdgeLoopException {
        ends.end(id, model, state, progress, error);
    }

    static String target(String model) {
        return "retraining:" + model;
    }

    private static ObjectNode withDecision(String id, ObjectNode figures) {
        ObjectNode o = JSON.createObjectNode();
        o.put("decisionId", id);
        o.setAll(figures);
        return o;
    }

    private void progress(String id, DecisionState state, String text) throws EdgeLoopException {
        LOG.info("retraining {}: {}", id, text);
        parts.db().transaction(c -> {
            parts.store().update(c, id, parts.clock().millis(), columns("state", state, "progress", text));
            return null;
        });
    }

    private void progressQuietly(String id, String text) {
        try {
            parts.db().transaction(c -> {
                parts.store().update(c, id, parts.clock().millis(), columns("progress",
                        text.length() > 1000 ? text.substring(0, 1000) : text));
                return null;
            });
        } catch (EdgeLoopException e) {
            LOG.warn("cannot record the progress of retraining {}: {}", id, e.getMessage());
        }
    }

    static TrainingOptions options(TrainingSpec t) throws EdgeLoopException {
        try {
            return new TrainingOptions(ModelArchitecture.parse(t.model()), t.hiddenLayers(), TrainingOptions.DEFAULT_OPTIMIZER,
                    t.learningRate(), TrainingOptions.DEFAULT_SCHEDULE, t.batchSize(), t.epochs(), t.seed(),
                    TrainingOptions.DEFAULT_THREADS, TrainingOptions.DEFAULT_PATIENCE,
                    TrainingOptions.DEFAULT_VALIDATION_FRACTION, TrainingOptions.DEFAULT_DEVICE);
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(io.edgeloop.protocol.ErrorCode.INVALID_ARGUMENT, "training: " + e.getMessage());
        }
    }

    static Map<String, Object> columns(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
