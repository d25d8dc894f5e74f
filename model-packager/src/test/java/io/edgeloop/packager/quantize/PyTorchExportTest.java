package io.edgeloop.packager.quantize;

import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.TensorInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Models exported by PyTorch ({@code torch.onnx.export}, opset 13, dynamic batch) load, inspect,
 * quantize and run. The models are made by {@code src/test/python/export_reference_models.py}
 * with Debian's python3-torch, briefly trained (one epoch on 2000 images) to stay near a minute;
 * skipped with the reason when torch is not installed. Such briefly trained models have small
 * margins, so agreement is held to 97% here; the 98% acceptance bound is measured on the fully
 * trained exports by {@code QuantizationBenchmark}.
 */
class PyTorchExportTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final double MIN_AGREEMENT = 0.97;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path dir;

    @BeforeAll
    static void export() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "skipped: /usr/bin/python3 is not installed");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, onnx").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "skipped: Debian's python3-torch (and python3-onnx) are not importable by /usr/bin/python3");
        Process p = new ProcessBuilder(PYTHON.toString(), "src/test/python/export_reference_models.py", dir.toString(),
                "--epochs", "1", "--train-limit", "2000", "--threads", "2").redirectErrorStream(true)
                .redirectOutput(dir.resolve("export.log").toFile()).start();
        assertTrue(p.waitFor(170, TimeUnit.SECONDS), "export took too long");
        assertEquals(0, p.exitValue(), () -> readLog());
    }

    @Test
    void mlpLoadsInspectsQuantizesAndRuns() throws Exception {
        OnnxModel mlp = OnnxModel.load(dir.resolve("fmnist_mlp.onnx"));
        assertEquals(13, mlp.opsetVersion());
        TensorInfo in = mlp.inputs().get(0);
        assertEquals(List.of(-1L, 784L), in.shape());
        assertEquals("batch", in.dimNames().get(0));
        assertEquals(Map.of("Gemm", 3, "Relu", 2), mlp.operatorCensus());
        assertEquals(235_146, mlp.parameterCount());
        checkQuantized(mlp, QdqOptions.DENSE_OPS);
        QuantizersTestSupport.assertSmallAndAgreeing(mlp, new DynamicQuantizer(false).quantize(mlp), 0.30, MIN_AGREEMENT);
    }

    @Test
    void cnnLoadsInspectsQuantizesAndRuns() throws Exception {
        OnnxModel cnn = OnnxModel.load(dir.resolve("fmnist_cnn.onnx"));
        assertEquals(List.of(-1L, 1L, 28L, 28L), cnn.inputs().get(0).shape());
        assertEquals(2, cnn.operatorCensus().get("Conv"));
        assertEquals(2, cnn.operatorCensus().get("MaxPool"));
        assertEquals(2, cnn.operatorCensus().get("Gemm"));
        checkQuantized(cnn, QdqOptions.DENSE_OPS);
        checkQuantized(cnn, QdqOptions.SUPPORTED_OPS);
    }

    private static void checkQuantized(OnnxModel model, java.util.Set<String> ops) throws Exception {
        StaticQdqQuantizer q = new StaticQdqQuantizer(QdqOptions.of(ops, true));
        Dataset calibration = TestImages.train().select(QuantizersTest.range(50_000, 50_256), "cal");
        var ranges = new Calibrator(CalibrationOptions.DEFAULT, QUIET).calibrate(model, q.tensorsToCalibrate(model), calibration);
        QuantizersTestSupport.assertSmallAndAgreeing(model, q.quantize(model, ranges), 0.30, MIN_AGREEMENT);
    }

    private static String readLog() {
        try {
            return Files.readString(dir.resolve("export.log"));
        } catch (java.io.IOException e) {
            return "no export log: " + e.getMessage();
        }
    }
}
