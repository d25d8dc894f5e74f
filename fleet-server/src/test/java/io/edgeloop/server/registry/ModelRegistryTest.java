package io.edgeloop.server.registry;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.data.DatasetSplits;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.audit.AuditEntry;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.audit.AuditQuery;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.tracking.RunRepository;
import io.edgeloop.server.training.ModelArchitecture;
import io.edgeloop.server.training.TrainingFixtures;
import io.edgeloop.server.training.TrainingOptions;
import io.edgeloop.server.training.TrainingPipeline;
import io.edgeloop.server.training.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelRegistryTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void gateRefusesAWorseCandidateAndPromotesABetterOne() throws Exception {
        Dataset holdout = TrainingFixtures.fashionTest().head(2000);
        try (Database db = Database.inMemory("registry")) {
            RunRepository runs = new RunRepository(db);
            ModelVersionRepository repo = new ModelVersionRepository(db);
            ModelRegistry registry = new ModelRegistry(repo,
                    new EvaluationGate(EvaluationGate.Options.defaults(), new OnnxHoldoutEvaluator()));
            TrainingPipeline pipeline = new TrainingPipeline(DatasetLoader.fromEnvironment(), runs, "test", QUIET);

            TrainingRun production = train(pipeline, ModelArchitecture.MLP, 2, 4000);
            TrainingRun worse = train(pipeline, ModelArchitecture.MLP, 1, 300);
            TrainingRun better = train(pipeline, ModelArchitecture.MLP, 3, 10000);

            ModelVersion v1 = registry.register("fashion", runs.get(production.id()));
            assertEquals(1, v1.version());
            assertNull(v1.parentVersion());
            assertNull(registry.get("fashion", 1).parentVersion(), "a first version has no parent once stored");
            registry.promote("fashion", 1, ModelStage.PRODUCTION, holdout);

            ModelVersion v2 = registry.register("fashion", runs.get(worse.id()));
            assertEquals(1, v2.parentVersion());
            assertEquals(1, registry.get("fashion", 2).parentVersion());
            assertEquals(worse.record().datasetSha256(), v2.datasetSha256());
            EdgeLoopException refused = assertThrows(EdgeLoopException.class,
                    () -> registry.promote("fashion", 2, ModelStage.STAGING, holdout));
            assertEquals(ErrorCode.EVALUATION_GATE_FAILED, refused.code());
            assertEquals(ModelStage.CANDIDATE, registry.get("fashion", 2).stage());

            ModelVersion v3 = registry.register("fashion", runs.get(better.id()));
            ModelRegistry.PromotionResult promoted = registry.promote("fashion", 3, ModelStage.PRODUCTION, holdout);
            assertTrue(promoted.decision().passed(), promoted.decision().reason());
            assertEquals(ModelStage.PRODUCTION, registry.get("fashion", 3).stage());
            assertEquals(ModelStage.ARCHIVED, registry.get("fashion", 1).stage());
            assertEquals(better.id(), v3.runId());

            List<GateDecision> decisions = registry.decisions("fashion");
            assertEquals(3, decisions.size());
            GateDecision refusal = decisions.get(1);
            assertFalse(refusal.passed());
            assertEquals(2, refusal.candidateVersion());
            assertEquals(1, refusal.productionVersion());
            assertTrue(refusal.candidateValue() < refusal.productionValue() - refusal.tolerance(), refusal.reason());
            assertEquals(decisions.get(2).holdoutSha256(), refusal.holdoutSha256(), "same holdout for both decisions");

            // Every decision is in the audit log with its figures, newest first.
            List<AuditEntry> audit = new AuditLog(db, java.time.Clock.systemUTC())
                    .query(AuditQuery.parse("model:fashion*", null, null, null));
            assertEquals(List.of("model.promote model:fashion@v3", "model.stage model:fashion@v1",
                    "model.promote.refused model:fashion@v2", "model.promote model:fashion@v1"),
                    audit.stream().map(e -> e.action() + " " + e.target()).toList());
            var refusedGate = audit.get(2).after();
            assertEquals("REFUSE", refusedGate.get("verdict").asText());
            assertEquals(refusal.candidateValue(), refusedGate.get("candidateValue").asDouble(), 1e-9);
            assertEquals(refusal.productionValue(), refusedGate.get("productionValue").asDouble(), 1e-9);
            assertEquals(refusal.productionValue() - refusal.tolerance(), refusedGate.get("floor").asDouble(), 1e-9);
            assertEquals(refusal.tolerance(), refusedGate.get("tolerance").asDouble(), 1e-9);
            assertEquals(2000, refusedGate.get("holdoutSamples").asInt());
            assertEquals(refusal.holdoutSha256(), refusedGate.get("holdoutSha256").asText());
            assertEquals("CANDIDATE", audit.get(2).before().get("stage").asText());
            var promotedGate = audit.get(0).after().get("gate");
            assertEquals("PRODUCTION", audit.get(0).after().get("stage").asText());
            assertEquals("PROMOTE", promotedGate.get("verdict").asText());
            assertEquals(1, promotedGate.get("productionVersion").asInt());
            assertEquals("system", audit.get(0).actorId());
            assertEquals(3, audit.get(1).after().get("replacedBy").asInt());
            assertTrue(audit.get(3).after().get("gate").get("productionVersion").isNull(), "v1 had no production to beat");
        }
    }

    @Test
    void stagesOnlyMoveForward() {
        assertTrue(ModelStage.CANDIDATE.canMoveTo(ModelStage.STAGING));
        assertTrue(ModelStage.STAGING.canMoveTo(ModelStage.PRODUCTION));
        assertTrue(ModelStage.PRODUCTION.canMoveTo(ModelStage.ARCHIVED));
        assertFalse(ModelStage.PRODUCTION.canMoveTo(ModelStage.CANDIDATE));
        assertFalse(ModelStage.ARCHIVED.canMoveTo(ModelStage.PRODUCTION));
    }

    private TrainingRun train(TrainingPipeline pipeline, ModelArchitecture arch, int epochs, int rows) throws Exception {
        DatasetSplits.Split split = TrainingFixtures.fashionSubset(rows, 1000, 7);
        TrainingOptions options = TrainingFixtures.quick(arch, epochs).withSeed(rows);
        String spec = "fashion-mnist:train[0:" + rows + "]";
        return pipeline.run(pipeline.begin(spec, options), spec, split, options, dir.resolve("run-" + rows));
    }
}
