package io.edgeloop.server.training;

import io.edgeloop.server.datasets.StoredDatasets;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.data.DatasetSplits;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.tracking.RunRecord;
import io.edgeloop.server.tracking.RunRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPipelineTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void trainsAnMlpOnASubsetExportsItAndTracksTheRun() throws Exception {
        DatasetSplits.Split split = TrainingFixtures.fashionSubset(8000, 2000, 1);
        try (Database db = Database.inMemory("pipeline")) {
            RunRepository runs = new RunRepository(db);
            TrainingPipeline pipeline = new TrainingPipeline(DatasetLoader.fromEnvironment(), runs, "test", System.err);
            TrainingOptions options = TrainingFixtures.quick(ModelArchitecture.MLP, 2);
            String id = pipeline.begin("fashion-mnist:train[0:8000]", options);
            TrainingRun run = pipeline.run(id, "fashion-mnist:train[0:8000]", split, options, dir);

            assertTrue(run.testAccuracy() > 0.75, "test accuracy " + run.testAccuracy());
            assertTrue((double) run.record().metrics().get("export_max_abs_diff") <= 1e-4);
            double onnxAccuracy = new OnnxHoldoutEvaluator().evaluate(run.modelOnnx(), split.test()).accuracy();
            assertEquals(run.testAccuracy(), onnxAccuracy, 0.002, "ONNX Runtime reproduces DJL's test accuracy");
            for (String file : new String[] {"model.onnx", "metrics.json", "run.json", "training-curve.png"}) {
                assertTrue(Files.size(dir.resolve(file)) > 0, file);
            }
            RunRecord stored = runs.get(id);
            assertEquals(RunRecord.SUCCEEDED, stored.status());
            assertEquals(2, stored.epochs().size());
            assertEquals(run.record().datasetSha256(), stored.datasetSha256());
            assertEquals(64, stored.datasetSha256().length());
            assertEquals("mlp", stored.parameters().get("model"));
            assertEquals(run.testAccuracy(), ((Number) stored.metrics().get("test_accuracy")).doubleValue(), 1e-12);
        }
    }

    @Test
    void trainsACnnThatExportsWithinTolerance() throws Exception {
        DatasetSplits.Split split = TrainingFixtures.fashionSubset(3000, 500, 2);
        TrainingPipeline pipeline = new TrainingPipeline(DatasetLoader.fromEnvironment(), null, "test", QUIET);
        TrainingRun run = pipeline.run("cnn-run", "fashion-mnist:train[0:3000]", split,
                TrainingFixtures.quick(ModelArchitecture.CNN, 1), dir);
        assertTrue(run.testAccuracy() > 0.6, "test accuracy " + run.testAccuracy());
        assertTrue((double) run.record().metrics().get("export_max_abs_diff") <= 1e-4);
        assertEquals(run.testAccuracy(), (double) run.record().metrics().get(TrainingReport.ONNX_TEST_ACCURACY), 0.002);
    }

    @Test
    void tabularRunReportsCleaningImportanceAndFairness() throws Exception {
        StringBuilder csv = new StringBuilder("signal,noise,group,label\n");
        java.util.Random random = new java.util.Random(9);
        for (int r = 0; r < 600; r++) {
            int label = r % 2;
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%s,%d%n",
                    500 + 40 * label + 10 * random.nextGaussian(), random.nextGaussian(), r % 3 == 0 ? "a" : "b", label));
        }
        csv.append("oops,1,a,0\n");
        Path file = dir.resolve("tab.csv");
        Files.writeString(file, csv.toString());
        TrainingPipeline pipeline = new TrainingPipeline(DatasetLoader.fromEnvironment(), null, "test", QUIET);
        io.edgeloop.protocol.EdgeLoopException refused = org.junit.jupiter.api.Assertions.assertThrows(
                io.edgeloop.protocol.EdgeLoopException.class, () -> pipeline.run("csv:" + file + "?label=label&group=group",
                        TrainingFixtures.quick(ModelArchitecture.LOGREG, 1), dir.resolve("refused")));
        assertEquals("line 602, column 'signal': 'oops' is not a number", refused.getMessage());

        Files.writeString(file, csv.substring(0, csv.lastIndexOf("oops")));
        TrainingOptions options = new TrainingOptions(ModelArchitecture.LOGREG, java.util.List.of(), "adam", 0.05, "fixed", 32, 10,
                1, 2, 0, 0.1, "cpu");
        TrainingRun run = pipeline.run("csv:" + file + "?label=label&group=group", options, dir.resolve("ok"));
        assertTrue(run.testAccuracy() > 0.9, "test accuracy " + run.testAccuracy());
        @SuppressWarnings("unchecked")
        java.util.Map<String, Double> importance = (java.util.Map<String, Double>) run.record().metrics().get("permutation_importance");
        assertTrue(importance.get("signal") > importance.get("noise") + 0.1, importance.toString());
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> fairness = (java.util.Map<String, Object>) run.record().metrics().get("fairness");
        assertEquals(java.util.Set.of("a", "b"), ((java.util.Map<?, ?>) fairness.get("per_group")).keySet());
        assertTrue((double) fairness.get("demographic_parity_difference") >= 0);
        assertTrue((double) fairness.get("equal_opportunity_difference") >= 0);
    }

    @Test
    void piiRulesLeaveNoRawValueInAnythingTheRunDerives() throws Exception {
        StringBuilder csv = new StringBuilder("email,customer,signal,label\n");
        java.util.Random random = new java.util.Random(5);
        java.util.List<String> customers = java.util.List.of("CUST-ALPHA", "CUST-BRAVO", "CUST-CHARLIE");
        for (int r = 0; r < 300; r++) {
            int label = r % 2;
            csv.append(String.format(java.util.Locale.ROOT, "user%d@mail.example,%s,%.4f,%d%n", r, customers.get(r % 3),
                    5 + 4 * label + random.nextGaussian(), label));
        }
        Path file = dir.resolve("people.csv");
        Files.writeString(file, csv.toString());
        String spec = "csv:" + file + "?label=label&group=customer&pii=email:drop,customer:hash";
        TrainingOptions options = new TrainingOptions(ModelArchitecture.LOGREG, java.util.List.of(), "adam", 0.05, "fixed", 32,
                5, 1, 2, 0, 0.1, "cpu");
        io.edgeloop.protocol.EdgeLoopException noKey = org.junit.jupiter.api.Assertions.assertThrows(
                io.edgeloop.protocol.EdgeLoopException.class, () -> new TrainingPipeline(DatasetLoader.fromEnvironment(), null,
                        "test", QUIET).run(spec, options, dir.resolve("no-key")));
        assertEquals(io.edgeloop.protocol.ErrorCode.PII_RULE_INVALID, noKey.code());

        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 3);
        io.edgeloop.packager.data.PiiHasher hasher = io.edgeloop.packager.data.PiiHasher.hmac(key);
        Path out = dir.resolve("pii");
        TrainingRun run = new TrainingPipeline(DatasetLoader.fromEnvironment(), null, "test", QUIET, StoredDatasets.NONE, hasher)
                .run(spec, options, out);
        assertTrue(run.testAccuracy() > 0.9, "test accuracy " + run.testAccuracy());
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> fairness = (java.util.Map<String, Object>) run.record().metrics().get("fairness");
        assertEquals(new java.util.HashSet<>(customers.stream().map(hasher::hash).toList()),
                ((java.util.Map<?, ?>) fairness.get("per_group")).keySet(), "groups are the hashed ids");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Double> importance = (java.util.Map<String, Double>) run.record().metrics().get("permutation_importance");
        assertEquals(java.util.Set.of("signal"), importance.keySet(), "neither e-mail nor customer is a feature");
        try (var files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String raw : java.util.List.of("CUST-", "mail.example")) {
                    assertTrue(!text.contains(raw), f + " holds the raw value " + raw);
                }
            }
        }
    }
}
