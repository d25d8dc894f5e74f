package io.edgeloop.agent.engine.pytorch;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.EngineOptions;
import io.edgeloop.agent.engine.ModelSession;
import io.edgeloop.agent.engine.ModelSignature;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.engine.TensorSpec;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PyTorch engine on real TorchScript files written by Debian's torch, compared with what torch computed. */
class PytorchEngineTest {
    @TempDir
    static Path dir;
    static TorchScriptFixtures.Expected expected;
    static PytorchEngine engine;
    static ModelSession classifier;

    @BeforeAll
    static void open() throws Exception {
        TorchScriptFixtures.generate(dir);
        expected = TorchScriptFixtures.expected(dir);
        engine = new PytorchEngine();
        classifier = engine.open(dir.resolve("classifier.pt"), EngineOptions.DEFAULT, TorchScriptFixtures.CLASSIFIER);
    }

    @AfterAll
    static void close() {
        if (classifier != null) {
            classifier.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aBatchOfSeveralRowsEqualsWhatTorchComputed() throws Exception {
        List<Tensor> out = classifier.run(List.of(Tensor.of("features", expected.inputs(), expected.inputShape())));
        assertEquals(1, out.size());
        assertEquals("probs", out.get(0).name());
        assertArrayEquals(expected.outputShape(), out.get(0).shape());
        assertClose(expected.outputs(), out.get(0).floats());
    }

    @Test
    void singleRowsEqualTheirRowsOfTheBatch() throws Exception {
        int rows = (int) expected.inputShape()[0];
        for (int r = 0; r < rows; r++) {
            float[] row = Arrays.copyOfRange(expected.inputs(), r * 6, (r + 1) * 6);
            float[] probs = classifier.run(List.of(Tensor.of("features", row, 1, 6))).get(0).floats();
            assertClose(Arrays.copyOfRange(expected.outputs(), r * 3, (r + 1) * 3), probs);
        }
    }

    @Test
    void concurrentRunsFromSeveralThreadsAgree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> classifier.run(List.of(Tensor.of("features", expected.inputs().clone(),
                        expected.inputShape()))).get(0).floats()));
            }
            for (Future<float[]> r : results) {
                assertClose(expected.outputs(), r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reportsTheDeclaredTensorsAndItsDevice() {
        assertEquals("features", classifier.inputs().get(0).name());
        assertArrayEquals(new long[]{-1, 6}, classifier.inputs().get(0).shape());
        assertEquals(DataType.FP32, classifier.outputs().get(0).type());
        assertEquals("CPU", classifier.executionProvider(), "the module ships PyTorch's CPU build");
    }

    @Test
    void wrongTypeShapeOrNamesAreRefusedWithTheReason() {
        EdgeLoopException type = assertThrows(EdgeLoopException.class,
                () -> classifier.run(List.of(new Tensor("features", DataType.FP64, new long[]{1, 6}, new double[6]))));
        assertEquals(ErrorCode.INFERENCE_INPUT_INVALID, type.code());
        assertTrue(type.getMessage().contains("must be FP32, not FP64"), type.getMessage());

        EdgeLoopException shape = assertThrows(EdgeLoopException.class,
                () -> classifier.run(List.of(Tensor.of("features", new float[10], 2, 5))));
        assertEquals(ErrorCode.INFERENCE_INPUT_INVALID, shape.code());
        assertTrue(shape.getMessage().contains("must have shape [-1, 6]"), shape.getMessage());

        EdgeLoopException missing = assertThrows(EdgeLoopException.class,
                () -> classifier.run(List.of(Tensor.of("pixels", new float[6], 1, 6))));
        assertTrue(missing.getMessage().contains("input 'features' is missing"), missing.getMessage());

        EdgeLoopException extra = assertThrows(EdgeLoopException.class, () -> classifier.run(List.of(
                Tensor.of("features", new float[6], 1, 6), Tensor.of("other", new float[1], 1, 1))));
        assertTrue(extra.getMessage().contains("takes 1 input(s)"), extra.getMessage());
    }

    @Test
    void everyServedElementTypeCrossesBothWays() throws Exception {
        List<TensorSpec> in = List.of(spec("f32", DataType.FP32), spec("f64", DataType.FP64), spec("i32", DataType.INT32),
                spec("i64", DataType.INT64), spec("i8", DataType.INT8), spec("u8", DataType.UINT8), spec("b", DataType.BOOL));
        List<TensorSpec> out = in.stream().map(s -> new TensorSpec("out_" + s.name(), s.type(), s.shape())).toList();
        try (ModelSession s = engine.open(dir.resolve("dtypes.pt"), EngineOptions.DEFAULT, new ModelSignature(in, out))) {
            List<Tensor> r = s.run(List.of(
                    new Tensor("f32", DataType.FP32, new long[]{1, 3}, new float[]{1.5f, -2f, 0f}),
                    new Tensor("f64", DataType.FP64, new long[]{1, 3}, new double[]{1e-9, -3.25, 1e300}),
                    new Tensor("i32", DataType.INT32, new long[]{1, 3}, new int[]{1, -2, 1 << 20}),
                    new Tensor("i64", DataType.INT64, new long[]{1, 3}, new long[]{7, 0, 1L << 40}),
                    new Tensor("i8", DataType.INT8, new long[]{1, 3}, new byte[]{1, -5, 127}),
                    new Tensor("u8", DataType.UINT8, new long[]{1, 3}, new byte[]{0, (byte) 200, (byte) 255}),
                    new Tensor("b", DataType.BOOL, new long[]{1, 3}, new byte[]{1, 0, 1})));
            assertArrayEquals(new float[]{3f, -4f, 0f}, (float[]) r.get(0).data());
            assertArrayEquals(new double[]{0.5 + 1e-9, -2.75, 1e300}, (double[]) r.get(1).data());
            assertArrayEquals(new int[]{3, -6, 3 << 20}, (int[]) r.get(2).data());
            assertArrayEquals(new long[]{0, -7, (1L << 40) - 7}, (long[]) r.get(3).data());
            assertArrayEquals(new byte[]{-1, 5, -127}, (byte[]) r.get(4).data());
            assertArrayEquals(new byte[]{1, (byte) 201, 0}, (byte[]) r.get(5).data(), "uint8 wraps at 255 like torch");
            assertArrayEquals(new byte[]{0, 1, 0}, (byte[]) r.get(6).data());
            for (int i = 0; i < r.size(); i++) {
                assertEquals(out.get(i).type(), r.get(i).type());
                assertArrayEquals(new long[]{1, 3}, r.get(i).shape());
            }
        }
    }

    @Test
    void anOutputOfAnotherTypeThanDeclaredFailsTheRun() throws Exception {
        ModelSignature wrong = new ModelSignature(TorchScriptFixtures.CLASSIFIER.inputs(),
                List.of(new TensorSpec("probs", DataType.FP64, new long[]{-1, 3})));
        try (ModelSession s = engine.open(dir.resolve("classifier.pt"), EngineOptions.DEFAULT, wrong)) {
            EdgeLoopException e = assertThrows(EdgeLoopException.class,
                    () -> s.run(List.of(Tensor.of("features", new float[6], 1, 6))));
            assertEquals(ErrorCode.INFERENCE_FAILED, e.code());
            assertTrue(e.getMessage().contains("declares FP64"), e.getMessage());
        }
    }

    @Test
    void filesWithoutDeclaredTensorsOrThatAreNotTorchScriptAreRefused() throws Exception {
        EdgeLoopException undeclared = assertThrows(EdgeLoopException.class,
                () -> engine.open(dir.resolve("classifier.pt"), EngineOptions.DEFAULT));
        assertEquals(ErrorCode.MODEL_INVALID, undeclared.code());
        assertTrue(undeclared.getMessage().contains("carries no tensor names"), undeclared.getMessage());

        Path junk = Files.writeString(dir.resolve("junk.pt"), "not a TorchScript archive");
        EdgeLoopException notTorchScript = assertThrows(EdgeLoopException.class,
                () -> engine.open(junk, EngineOptions.DEFAULT, TorchScriptFixtures.CLASSIFIER));
        assertEquals(ErrorCode.MODEL_INVALID, notTorchScript.code());

        ModelSignature int16 = new ModelSignature(List.of(spec("x", DataType.INT16)), TorchScriptFixtures.CLASSIFIER.outputs());
        EdgeLoopException unserved = assertThrows(EdgeLoopException.class,
                () -> engine.open(dir.resolve("classifier.pt"), EngineOptions.DEFAULT, int16));
        assertTrue(unserved.getMessage().contains("INT16"), unserved.getMessage());
    }

    @Test
    void aClosedSessionRefusesToRun() throws Exception {
        ModelSession s = engine.open(dir.resolve("classifier.pt"), EngineOptions.DEFAULT, TorchScriptFixtures.CLASSIFIER);
        s.run(List.of(Tensor.of("features", new float[6], 1, 6)));
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.run(List.of(Tensor.of("features", new float[6], 1, 6))));
    }

    private static TensorSpec spec(String name, DataType type) {
        return new TensorSpec(name, type, new long[]{-1, 3});
    }

    static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max <= TorchScriptFixtures.TOLERANCE, "max abs diff " + max + " > " + TorchScriptFixtures.TOLERANCE);
    }
}
