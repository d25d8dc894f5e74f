package io.edgeloop.simulator;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.engine.TensorSpec;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficInputsTest {
    @TempDir
    Path dir;

    @Test
    void idxImagesAreScaledRowsOfTheModelsShapeElseSyntheticUniformValues() throws Exception {
        Path idx = dir.resolve("images-idx3-ubyte.gz");
        try (OutputStream raw = Files.newOutputStream(idx); DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            out.writeInt(0x0803);
            out.writeInt(3);
            out.writeInt(2);
            out.writeInt(2);
            for (int i = 0; i < 12; i++) {
                out.write(i == 0 ? 255 : 0);
            }
        }
        float[][] rows = TrafficInputs.readIdx(idx, 10);
        assertEquals(3, rows.length);
        assertArrayEquals(new float[] {1f, 0f, 0f, 0f}, rows[0]);

        TrafficInputs images = TrafficInputs.of(idx.toString());
        List<Tensor> four = images.next(List.of(new TensorSpec("input", DataType.FP32, new long[] {-1, 4})));
        assertArrayEquals(new long[] {1, 4}, four.get(0).shape());
        // A shape the file does not fit gets synthetic inputs in 0..1.
        List<Tensor> nine = images.next(List.of(new TensorSpec("input", DataType.FP32, new long[] {-1, 1, 3, 3})));
        assertArrayEquals(new long[] {1, 1, 3, 3}, nine.get(0).shape());
        for (float v : nine.get(0).floats()) {
            assertTrue(v >= 0 && v < 1, String.valueOf(v));
        }
        assertNull(images.next(List.of(new TensorSpec("ids", DataType.INT64, new long[] {-1, 4}))), "only FP32 inputs");
        EdgeLoopException missing = assertThrows(EdgeLoopException.class, () -> TrafficInputs.of(dir.resolve("none").toString()));
        assertEquals(ErrorCode.DATASET_UNAVAILABLE, missing.code());
    }

    @Test
    void optionsAreCheckedOnceWithTheFlagThatIsWrong() {
        SimulatorOptions ok = SimulatorOptions.of(URI.create("http://fleet:8090"), 10, "t", dir);
        assertEquals("sim-0007", ok.deviceId(7));
        assertEquals(dir.resolve("sim-0007"), ok.agentDir(7));
        for (var bad : List.of(SimulatorOptions.of(URI.create("fleet"), 10, "t", dir),
                SimulatorOptions.of(URI.create("http://fleet:8090"), 0, "t", dir),
                ok.withTraffic(-1, null), ok.withStartThreads(0), ok.withIdPrefix("a/b"),
                ok.withPublicKey(dir.resolve("missing.pub")))) {
            EdgeLoopException e = assertThrows(EdgeLoopException.class, bad::validate);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("--"), e.getMessage());
        }
    }
}
