package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A signed package serves the model's own outputs: for a PyTorch-exported model that ends in
 * logits and one that ends in a Softmax, the agent's KServe v2 answer has the original output
 * name and ONNX Runtime's values of the original file (within 1e-5), with and without the
 * output requested by name, while the drift monitor still reads probabilities. The models come
 * from {@code model-packager/src/test/python/export_output_heads.py} (Debian's python3-torch);
 * the test is skipped without it.
 */
class ServedOutputsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path MODELS = Path.of("target", "output-head-models").toAbsolutePath();
    static Dataset test;

    @BeforeAll
    static void export() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Path script = Path.of("").toAbsolutePath().resolveSibling("model-packager")
                .resolve("src/test/python/export_output_heads.py");
        assumeTrue(Files.isExecutable(python) && Files.isRegularFile(script),
                "needs Debian's /usr/bin/python3 and " + script + " to export PyTorch models");
        assumeTrue(new ProcessBuilder(python.toString(), "-c", "import torch").start().waitFor() == 0,
                "python3-torch is not installed");
        test = TestImages.testSet();
        assumeTrue(test.size() >= 10_000, "needs the Fashion-MNIST dataset to train the heads briefly");
        if (!Files.isRegularFile(MODELS.resolve("head_softmax.onnx"))) {
            Process p = new ProcessBuilder(python.toString(), script.toString(), MODELS.toString()).inheritIO().start();
            assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "export script failed");
        }
    }

    @ParameterizedTest
    @CsvSource({"head_logits.onnx, logits", "head_softmax.onnx, class_probs"})
    void servedOutputsAreTheOriginalModelsOwn(String file, String output, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path original = MODELS.resolve(file);
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path pkg = TestPackages.signedPackage(dir.resolve("pkg"), OnnxModel.load(original), "heads", "1.0.0", keys);
        try (AgentProcess agent = AgentProcess.start(AgentProcess.options(dir.resolve("data"))
                        .withDrift(d -> d.withMinSamples(50)), List.of("--package", pkg.toString(),
                        "--pubkey", keys.publicKey().toString()), List.of("-Xmx128m"));
             OrtRunner runner = new OrtRunner(OnnxModel.load(original), RunnerOptions.DEFAULT)) {
            JsonNode meta = JSON.readTree(agent.get("/v2/models/heads").body());
            assertEquals(output, meta.get("outputs").get(0).get("name").asText(), meta.toString());
            assertEquals(1, meta.get("outputs").size(), "no output added or renamed: " + meta);
            double maxDiff = 0;
            int batch = 25;
            for (int from = 0; from < 100; from += batch) {
                float[] x = new float[batch * 784];
                System.arraycopy(test.features(), from * 784, x, 0, x.length);
                float[] expected = runner.runFlat(x, new long[]{batch, 784});
                String body = AgentProcess.inferBody(null, test.features(), from, batch, 784);
                // Every other request names the output it wants (KServe v2 "outputs").
                if (from % (2 * batch) == 0) {
                    body = "{\"outputs\":[{\"name\":\"" + output + "\"}]," + body.substring(1);
                }
                HttpResponse<String> r = agent.post("/v2/models/heads/infer", body);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode outputs = JSON.readTree(r.body()).get("outputs");
                assertEquals(1, outputs.size());
                assertEquals(output, outputs.get(0).get("name").asText());
                JsonNode data = outputs.get(0).get("data");
                assertEquals(expected.length, data.size());
                for (int i = 0; i < expected.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(expected[i] - data.get(i).floatValue()));
                }
            }
            System.out.printf("%s: served output '%s', max |served - ONNX Runtime of the original| = %.3g over 100 images%n",
                    file, output, maxDiff);
            assertTrue(maxDiff <= 1e-5, "max abs diff " + maxDiff);

            HttpResponse<String> unknown = agent.post("/v2/models/heads/infer", "{\"outputs\":[{\"name\":\"probabilities\"}],"
                    + AgentProcess.inferBody(null, test.features(), 0, 1, 784).substring(1));
            assertEquals(400, unknown.statusCode(), "no 'probabilities' output was added: " + unknown.body());

            // The drift monitor turned the logits (or took the probabilities) into probabilities itself.
            JsonNode drift = JSON.readTree(agent.get("/v2/models/heads/drift?flush=true").body()).get("last");
            assertEquals(100, drift.get("samples").asInt(), drift.toString());
            double confidence = drift.get("meanConfidence").asDouble();
            assertTrue(confidence > 0.1 && confidence <= 1, "mean confidence " + confidence);
            assertFalse(drift.get("summary").asText().isEmpty());
        }
    }
}
