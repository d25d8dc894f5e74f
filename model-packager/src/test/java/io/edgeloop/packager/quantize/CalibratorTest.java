package io.edgeloop.packager.quantize;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.GraphBuilder;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranges observed through a real ORT run of a model whose intermediate tensor is known exactly. */
class CalibratorTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** h = relu(x - 1): the intermediate tensor the calibrator must expose and observe. */
    private static OnnxModel model() {
        GraphBuilder g = new GraphBuilder("shift", 13);
        String h = g.relu(g.sub(g.input("x", -1, 1), g.weight("one", new float[]{1}, 1)));
        g.output(g.add(h, g.weight("zero", new float[]{0}, 1)), "y", -1, 1);
        return g.toModel();
    }

    private static Dataset data() {
        // 1000 values 0.000 .. 0.999 plus 1 + k/1000 for k < 1000, then one outlier of 101.
        float[] x = new float[2001];
        for (int i = 0; i < 2000; i++) {
            x[i] = i / 1000f;
        }
        x[2000] = 101f;
        return new Dataset("ramp", x, new long[]{1}, new float[2001], List.of("a"), List.of());
    }

    @Test
    void minMaxSeesTheOutlierAndPercentileClipsIt() throws Exception {
        OnnxModel m = model();
        String h = m.graph().getNode(1).getOutput(0);
        CalibrationOptions minmax = new CalibrationOptions(CalibrationMethod.MINMAX, 99.99, 5000, 64);
        Map<String, ActivationRange> r = new Calibrator(minmax, QUIET).calibrate(m, Set.of(h, "x"), data());
        assertEquals(0f, r.get(h).min());
        assertEquals(100f, r.get(h).max(), 1e-4);
        assertEquals(101f, r.get("x").max(), 1e-6);

        CalibrationOptions pct = new CalibrationOptions(CalibrationMethod.PERCENTILE, 99.0, 5000, 64);
        ActivationRange clipped = new Calibrator(pct, QUIET).calibrate(m, Set.of(h), data()).get(h);
        assertTrue(clipped.max() > 0.9f && clipped.max() < 1.0f, "99th percentile " + clipped.max());
    }

    @Test
    void emptyCalibrationSetIsRefused() {
        Dataset empty = new Dataset("empty", new float[0], new long[]{1}, new float[0], List.of("a"), List.of());
        EdgeLoopException e = assertThrows(EdgeLoopException.class,
                () -> new Calibrator(CalibrationOptions.DEFAULT, QUIET).calibrate(model(), Set.of("x"), empty));
        assertEquals(ErrorCode.QUANTIZATION_FAILED, e.code());
    }
}
