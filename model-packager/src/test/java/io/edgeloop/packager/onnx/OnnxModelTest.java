package io.edgeloop.packager.onnx;

import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxModelTest {

    @Test
    void mlpRoundTripsThroughAFileAndInspects(@TempDir Path dir) throws Exception {
        OnnxModel built = TestModels.mlp(1);
        Path file = dir.resolve("mlp.onnx");
        built.save(file);
        OnnxModel loaded = OnnxModel.load(file);

        assertEquals(Files.size(file), loaded.sizeBytes());
        assertEquals(built.sha256(), loaded.sha256());
        assertEquals(13, loaded.opsetVersion());
        assertEquals(Map.of("Gemm", 3, "Relu", 2, "Identity", 1), loaded.operatorCensus());
        // 784*256+256 + 256*128+128 + 128*10+10
        assertEquals(235_146, loaded.parameterCount());
        TensorInfo in = loaded.inputs().get(0);
        assertEquals("input", in.name());
        assertEquals("FLOAT", in.dataType());
        assertEquals(List.of(-1L, 784L), in.shape());
        assertEquals("batch", in.dimNames().get(0));
        assertEquals("[batch, 784]", in.shapeText());
        assertEquals(List.of(-1L, 10L), loaded.outputs().get(0).shape());
        assertTrue(loaded.summary().toText().contains("Gemm=3"));
    }

    @Test
    void builtCnnRunsInOnnxRuntimeAndClassifiesAboveChance() throws Exception {
        OnnxModel cnn = TestModels.cnn(2);
        assertEquals(Map.of("Conv", 2, "Relu", 3, "MaxPool", 2, "Flatten", 1, "Gemm", 2, "Identity", 1),
                cnn.operatorCensus());
        Dataset test = TestImages.test().head(500);
        try (OrtRunner r = new OrtRunner(cnn, RunnerOptions.DEFAULT)) {
            float[][] logits = r.run(test.features(), new long[]{test.size(), 1, 28, 28});
            assertEquals(test.size(), logits.length);
            assertEquals(10, logits[0].length);
            int correct = 0;
            for (int i = 0; i < logits.length; i++) {
                correct += argmax(logits[i]) == test.label(i) ? 1 : 0;
            }
            assertTrue(correct > 0.5 * test.size(), "accuracy " + correct + "/" + test.size());
        }
    }

    @Test
    void garbageIsRefusedWithModelInvalid() {
        EdgeLoopException e = assertThrows(EdgeLoopException.class,
                () -> OnnxModel.fromBytes("not a model".getBytes(), "junk.onnx"));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("junk.onnx"));
    }

    @Test
    void duplicateTensorNamesFailAtBuildTime() {
        GraphBuilder g = new GraphBuilder("g", 13);
        g.input("x", -1, 4);
        assertThrows(IllegalArgumentException.class, () -> g.weight("x", new float[4], 4));
        assertThrows(IllegalArgumentException.class, () -> new GraphBuilder("g", 12));
    }

    @Test
    void tensorsRoundTripFloatsAndLongs() {
        float[] f = {1.5f, -2f, 3.25f};
        assertArrayEquals(f, Tensors.toFloats(Tensors.ofFloats("f", f, 3)));
        long[] l = {-1, 784};
        assertArrayEquals(l, Tensors.toLongs(Tensors.ofInt64("l", l, 2)));
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
