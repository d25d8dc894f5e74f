package io.edgeloop.agent.engine.pytorch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.ModelSignature;
import io.edgeloop.agent.engine.TensorSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TorchScript fixtures, written by {@code src/test/python/make_torchscript_fixture.py} through
 * Debian's {@code /usr/bin/python3}. Tests that need them skip, with the reason, where that Python
 * cannot import torch (install {@code python3-torch}; CI does); a script that runs but fails is a
 * test failure, not a skip.
 */
final class TorchScriptFixtures {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("src/test/python/make_torchscript_fixture.py");
    static final double TOLERANCE = 1e-5;

    /** classifier.pt: features FP32 [-1, 6] to probs FP32 [-1, 3]. */
    static final ModelSignature CLASSIFIER = new ModelSignature(
            List.of(new TensorSpec("features", DataType.FP32, new long[]{-1, 6})),
            List.of(new TensorSpec("probs", DataType.FP32, new long[]{-1, 3})));

    /** What the script computed: the classifier's inputs and outputs, flat and row-major. */
    record Expected(float[] inputs, long[] inputShape, float[] outputs, long[] outputShape) {
    }

    private TorchScriptFixtures() {
    }

    /** Writes the fixtures into {@code dir}, or skips the calling test when torch is not importable. */
    static Path generate(Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing; the TorchScript fixtures need Debian's python3-torch");
        assumeTrue(run(List.of(PYTHON.toString(), "-c", "import torch"), dir) == 0,
                PYTHON + " cannot import torch; install python3-torch to run the PyTorch engine tests");
        int exit = run(List.of(PYTHON.toString(), SCRIPT.toString(), dir.toString()), dir);
        if (exit != 0) {
            throw new AssertionError(SCRIPT + " failed with exit code " + exit + "; see " + dir.resolve("python.log"));
        }
        return dir;
    }

    static Expected expected(Path dir) throws IOException {
        JsonNode json = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        return new Expected(floats(json.get("inputs")), longs(json.get("inputShape")), floats(json.get("outputs")),
                longs(json.get("outputShape")));
    }

    private static int run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("python.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 120 s");
        }
        return p.exitValue();
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
