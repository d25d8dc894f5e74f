package io.edgeloop.packager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.fixtures.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code edgeloop eval} through the real command line on real Fashion-MNIST test images. */
class EvalCommandTest {

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = PackagerMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void onnxModelPrintsOneJsonObjectWithTheIssueKeys(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("mlp.onnx");
        TestModels.mlp(3).save(model);
        Run r = run("eval", "--model", model.toString(), "--dataset", "fashion-mnist:test", "--limit", "300", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(300, json.get("samples").asInt());
        assertTrue(json.get("accuracy").asDouble() > 0.5, r.out());
        for (String key : new String[]{"precision_macro", "recall_macro", "f1_macro", "latency_us_p50", "latency_us_p99",
                "throughput_per_s"}) {
            assertTrue(json.get(key).asDouble() > 0, key + " in " + r.out());
        }
        assertEquals(10, json.get("confusion_matrix").size());
        assertEquals(10, json.get("per_class").size());
        assertEquals(1, r.out().trim().lines().count(), "one JSON line");
    }

    @Test
    void packageEvaluatesTheVariantForThisMachine(@TempDir Path dir) throws Exception {
        assertEquals(0, run("keygen", "--name", "k", "--dir", dir.toString()).exit());
        Path model = dir.resolve("mlp.onnx");
        TestModels.mlp(4).save(model);
        Path pkg = dir.resolve("mlp-1.0.0.elpkg");
        Run pack = run("pack", model.toString(), "--name", "mlp", "--version", "1.0.0",
                "--key", dir.resolve("k.key").toString(), "--out", pkg.toString(), "--reference-samples", "200");
        assertEquals(0, pack.exit(), pack.err());
        Run r = run("eval", "--model", pkg.toString(), "--limit", "200", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("variant").isTextual(), r.out());
        assertTrue(json.get("accuracy").asDouble() > 0.5, r.out());
        Run fp32 = run("eval", "--model", pkg.toString(), "--limit", "100", "--variant", "nope", "--json");
        assertEquals(PackagerMain.EXIT_REFUSED, fp32.exit());
        assertTrue(fp32.err().contains("PACKAGE_NO_COMPATIBLE_VARIANT") && fp32.err().contains("'nope'"), fp32.err());
    }

    @Test
    void missingModelAndUnknownDatasetAreNamed(@TempDir Path dir) throws Exception {
        Run missing = run("eval", "--model", dir.resolve("nope.onnx").toString(), "--json");
        assertEquals(PackagerMain.EXIT_REFUSED, missing.exit());
        assertTrue(missing.err().contains("INVALID_ARGUMENT") && missing.err().contains("nope.onnx"), missing.err());
        Path model = dir.resolve("mlp.onnx");
        TestModels.mlp(3).save(model);
        Run badData = run("eval", "--model", model.toString(), "--dataset", "imagenet:val");
        assertEquals(PackagerMain.EXIT_REFUSED, badData.exit());
        assertTrue(badData.err().contains("imagenet:val"), badData.err());
    }
}
