package io.edgeloop.packager.quantize;

import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real ORT sessions on real Fashion-MNIST images: every quantizer output must run and agree with fp32. */
class QuantizersTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static OnnxModel mlp;
    private static OnnxModel cnn;
    private static Dataset calibration;

    @BeforeAll
    static void fixtures() throws Exception {
        mlp = TestModels.mlp(11);
        cnn = TestModels.cnn(12);
        calibration = TestImages.train().head(60_000).select(range(50_000, 50_256), "calibration");
    }

    @Test
    void dynamicMlpIsSmallRunsAndAgrees() throws Exception {
        OnnxModel q = new DynamicQuantizer(false).quantize(mlp);
        assertTrue(q.operatorCensus().containsKey("MatMulInteger"), q.operatorCensus().toString());
        assertFalse(q.operatorCensus().containsKey("Gemm"));
        QuantizersTestSupport.assertSmallAndAgreeing(mlp, q, 0.30, 0.98);
    }

    @Test
    void dynamicPerChannelRuns() throws Exception {
        QuantizersTestSupport.assertSmallAndAgreeing(mlp, new DynamicQuantizer(true).quantize(mlp), 0.30, 0.98);
    }

    @Test
    void staticMinMaxPerTensorMlp() throws Exception {
        OnnxModel q = staticQdq(mlp, QdqOptions.DENSE_OPS, false, CalibrationOptions.DEFAULT);
        assertEquals(3, q.operatorCensus().get("Gemm"));
        assertTrue(q.operatorCensus().get("QuantizeLinear") >= 3, q.operatorCensus().toString());
        QuantizersTestSupport.assertSmallAndAgreeing(mlp, q, 0.30, 0.98);
    }

    @Test
    void staticPercentilePerChannelMlp() throws Exception {
        OnnxModel q = staticQdq(mlp, QdqOptions.DENSE_OPS, true, CalibrationOptions.percentile(99.99));
        QuantizersTestSupport.assertSmallAndAgreeing(mlp, q, 0.30, 0.98);
    }

    @Test
    void staticCnnAllOpsPerChannel() throws Exception {
        OnnxModel q = staticQdq(cnn, QdqOptions.SUPPORTED_OPS, true, CalibrationOptions.DEFAULT);
        assertTrue(q.operatorCensus().get("DequantizeLinear") >= 8, q.operatorCensus().toString());
        QuantizersTestSupport.assertSmallAndAgreeing(cnn, q, 0.30, 0.97);
    }

    @Test
    void staticCnnDenseOnlyKeepsConvWeightsFloat() throws Exception {
        OnnxModel q = staticQdq(cnn, QdqOptions.DENSE_OPS, false, CalibrationOptions.percentile(99.9));
        assertTrue(q.initializer("conv1.weight").isPresent());
        assertFalse(q.initializer("fc1.weight").isPresent());
        QuantizersTestSupport.assertSmallAndAgreeing(cnn, q, 0.35, 0.97);
    }

    @Test
    void modelWithoutQuantizableNodesIsRefused() throws Exception {
        var g = new io.edgeloop.packager.onnx.GraphBuilder("relu", 13);
        g.output(g.relu(g.input("x", -1, 4)), "y", -1, 4);
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> new DynamicQuantizer(false).quantize(g.toModel()));
        assertEquals(ErrorCode.QUANTIZATION_FAILED, e.code());
    }

    @Test
    void weightSharedByTwoQuantizedNodesIsQuantizedOnce() throws Exception {
        var g = new io.edgeloop.packager.onnx.GraphBuilder("shared", 13);
        String w = g.weight("w", new float[]{1, 0.5f, 0, -0.25f, 0, 1, 0.5f, 0, 0.25f, 0, 1, 0, 0, -0.5f, 0, 1}, 4, 4);
        String h = g.relu(g.matMul(g.input("x", -1, 4), w));
        g.output(g.matMul(h, w), "y", -1, 4);
        OnnxModel m = g.toModel();
        float[] x = {1, 2, 3, 4, 0.5f, 0.25f, 0, 1};
        Dataset cal = new Dataset("cal", x, new long[]{4}, new float[]{0, 1}, List.of("a", "b", "c", "d"), List.of());
        StaticQdqQuantizer q = new StaticQdqQuantizer(new QdqOptions(QdqOptions.DENSE_OPS, false, false, Set.of()));
        OnnxModel int8 = q.quantize(m, new Calibrator(CalibrationOptions.DEFAULT, QUIET).calibrate(m, q.tensorsToCalibrate(m), cal));
        assertEquals(1, int8.graph().getInitializerList().stream().filter(t -> t.getName().equals("w_quantized")).count());
        try (OrtRunner a = new OrtRunner(m, RunnerOptions.DEFAULT); OrtRunner b = new OrtRunner(int8, RunnerOptions.DEFAULT)) {
            float[] ya = a.runFlat(x, new long[]{2, 4});
            float[] yb = b.runFlat(x, new long[]{2, 4});
            for (int i = 0; i < ya.length; i++) {
                assertEquals(ya[i], yb[i], 0.05 * Math.max(1, Math.abs(ya[i])), "output " + i);
            }
        }
    }

    @Test
    void weightsRoundTripWithinHalfAStep() {
        float[] w = {0.5f, -1f, 0.25f, 2f, -0.1f, 0f};
        Int8Weights q = Int8Weights.quantize(w, new long[]{2, 3}, 0);
        float[] back = q.dequantize(new long[]{2, 3});
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], back[i], q.scales()[i / 3] / 2 + 1e-6);
        }
        assertEquals(1f / 127, q.scales()[0], 1e-7);
        assertEquals(2f / 127, q.scales()[1], 1e-7);
    }

    @Test
    void activationRangeKeepsZeroExact() {
        ActivationRange r = new ActivationRange(0f, 6f);
        assertEquals(0, r.zeroPoint());
        ActivationRange s = new ActivationRange(-1f, 3f);
        assertEquals(64, s.zeroPoint());
        assertEquals(4f / 255, s.scale(), 1e-7);
    }

    static OnnxModel staticQdq(OnnxModel m, Set<String> ops, boolean perChannel, CalibrationOptions co) throws Exception {
        StaticQdqQuantizer q = new StaticQdqQuantizer(QdqOptions.of(ops, perChannel));
        Map<String, ActivationRange> ranges = new Calibrator(co, QUIET).calibrate(m, q.tensorsToCalibrate(m), calibration);
        return q.quantize(m, ranges);
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
