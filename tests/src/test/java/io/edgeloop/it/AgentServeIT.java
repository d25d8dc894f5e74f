package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A standalone agent process serving a signed package over KServe v2 HTTP. */
class AgentServeIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static KeyPairFiles.Paths keys;
    static Path pkg;
    static Dataset test;
    static AgentProcess agent;

    @BeforeAll
    static void start() throws Exception {
        keys = TestPackages.publisherKeys(dir.resolve("keys"));
        pkg = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        test = TestImages.testSet();
        agent = AgentProcess.start(AgentProcess.options(dir.resolve("data")), List.of("--package", pkg.toString(), "--pubkey",
                keys.publicKey().toString()), List.of("-Xmx128m"));
        System.out.printf("agent ready in %d ms (from process start)%n", agent.startMillis());
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
    }

    @Test
    void answersHealthAndMetadataOfThePackage() throws Exception {
        assertEquals(200, agent.get("/v2/health/ready").statusCode());
        JsonNode meta = JSON.readTree(agent.get("/v2/models/fashion").body());
        assertEquals("1.0.0", meta.get("versions").get(0).asText());
        assertEquals("fp32", meta.get("parameters").get("variant").asText());
        assertEquals(10, meta.get("parameters").get("classes").size());
        assertTrue(agent.startMillis() < 20_000, "start to ready took " + agent.startMillis() + " ms");
    }

    @Test
    void httpPredictionsEqualInProcessOnnxRuntime() throws Exception {
        // The reference: the very model file the package holds, run in this process.
        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS)
                .verify(pkg, KeyPairFiles.loadPublic(keys.publicKey()));
        Path model = verified.extractVariant("fp32", dir.resolve("ref"));
        double maxDiff = compare(model, "/v2/models/fashion/infer", 200, 20);
        System.out.printf("package MLP: max |http - in-process| = %.3g over 200 images%n", maxDiff);
        assertTrue(maxDiff <= 1e-5, "max abs diff " + maxDiff);
    }

    /** Sends {@code n} test images in batches and returns the largest difference from ORT in-process. */
    static double compare(Path model, String path, int n, int batch) throws Exception {
        return compare(agent, model, path, n, batch);
    }

    static double compare(AgentProcess target, Path model, String path, int n, int batch) throws Exception {
        double maxDiff = 0;
        try (OrtRunner runner = new OrtRunner(OnnxModel.load(model), RunnerOptions.DEFAULT)) {
            for (int from = 0; from < n; from += batch) {
                float[] x = new float[batch * 784];
                System.arraycopy(test.features(), from * 784, x, 0, x.length);
                float[] expected = runner.runFlat(x, new long[]{batch, 784});
                HttpResponse<String> r = target.post(path, AgentProcess.inferBody(null, test.features(), from, batch, 784));
                assertEquals(200, r.statusCode(), r.body());
                JsonNode data = JSON.readTree(r.body()).get("outputs").get(0).get("data");
                assertEquals(expected.length, data.size());
                for (int i = 0; i < expected.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(expected[i] - data.get(i).floatValue()));
                }
            }
        }
        return maxDiff;
    }

    @Test
    void pytorchExportedModelOverHttpEqualsOnnxRuntime() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Path script = Path.of("").toAbsolutePath().resolveSibling("model-packager")
                .resolve("src/test/python/export_reference_models.py");
        assumeTrue(Files.isExecutable(python) && Files.isRegularFile(script),
                "needs Debian's /usr/bin/python3 and " + script + " to export a PyTorch model");
        assumeTrue(new ProcessBuilder(python.toString(), "-c", "import torch").start().waitFor() == 0,
                "python3-torch is not installed");
        Path out = Path.of("target", "pytorch-models").toAbsolutePath();
        Path exported = out.resolve("fmnist_mlp.onnx");
        if (!Files.isRegularFile(exported)) {
            Process p = new ProcessBuilder(python.toString(), script.toString(), out.toString(), "--epochs", "1",
                    "--train-limit", "3000", "--threads", "1").inheritIO().start();
            assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "export script failed");
        }
        try (AgentProcess torchAgent = AgentProcess.start(AgentProcess.options(dir.resolve("data-torch")), List.of("--package",
                exported.toString(), "--model-name", "pytorch-mlp"), List.of("-Xmx128m"))) {
            double maxDiff = compare(torchAgent, exported, "/v2/models/pytorch-mlp/infer", 200, 25);
            System.out.printf("PyTorch-exported MLP: max |http - in-process| = %.3g over 200 images%n", maxDiff);
            assertTrue(maxDiff <= 1e-5, "max abs diff " + maxDiff);
        }
    }

    @Test
    void sigtermDrainsInFlightRequests() throws Exception {
        try (AgentProcess drained = AgentProcess.start(AgentProcess.options(dir.resolve("data-drain")), List.of("--package", pkg.toString(),
                "--pubkey", keys.publicKey().toString()), List.of("-Xmx128m"))) {
            String body = AgentProcess.inferBody(null, test.features(), 0, 50, 784);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<CompletableFuture<List<Integer>>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                clients.add(CompletableFuture.supplyAsync(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    try {
                        while (statuses.size() < 100_000) {
                            statuses.add(drained.post("/v2/models/fashion/infer", body).statusCode());
                        }
                    } catch (Exception e) {
                        // the server closed its port: this client stops
                    }
                    return statuses;
                }, pool));
            }
            Thread.sleep(1500);
            drained.stop();
            pool.shutdown();
            int ok = 0;
            for (CompletableFuture<List<Integer>> c : clients) {
                for (int status : c.get(60, TimeUnit.SECONDS)) {
                    // Requests that arrive while draining are refused with 503, never dropped or 5xx'd.
                    assertTrue(status == 200 || status == 503, "status " + status);
                    ok += status == 200 ? 1 : 0;
                }
            }
            assertTrue(ok > 0, "no request was answered before shutdown");
            assertTrue(drained.logTail().contains("agent stopped"), drained.logTail());
        }
    }
}
