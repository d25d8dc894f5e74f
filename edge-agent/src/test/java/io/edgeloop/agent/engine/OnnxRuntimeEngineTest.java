package io.edgeloop.agent.engine;

import io.edgeloop.fixtures.TestModelFiles;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxRuntimeEngineTest {
    @TempDir
    Path dir;

    @Test
    void registryFindsOnnxRuntimeThroughServiceLoader() throws Exception {
        try (EngineRegistry engines = EngineRegistry.discover()) {
            assertEquals(List.of("onnxruntime"), engines.names());
            assertEquals("onnxruntime", engines.forFramework("onnx").name());
            EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> engines.forFramework("torchscript"));
            assertEquals(ErrorCode.ENGINE_UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("pytorch"), e.getMessage());
        }
    }

    @Test
    void mlpDeclaresBatchableSpecsAndAnswersProbabilities() throws Exception {
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession session = engine.open(TestModelFiles.softmaxMlp(dir), EngineOptions.DEFAULT)) {
            assertEquals("input", session.inputs().get(0).name());
            assertArrayEquals(new long[]{-1, 784}, session.inputs().get(0).shape());
            assertTrue(session.inputs().get(0).batchable());
            float[] x = new float[2 * 784];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 255) / 255f;
            }
            Tensor out = session.run(List.of(Tensor.of("input", x, 2, 784))).get(0);
            assertArrayEquals(new long[]{2, 10}, out.shape());
            float sum = 0;
            for (int i = 0; i < 10; i++) {
                sum += out.floats()[i];
            }
            assertEquals(1f, sum, 1e-5);
        }
    }

    @Test
    void everyServedTypeRoundTrips() throws Exception {
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession session = engine.open(TestModelFiles.identities(dir), EngineOptions.DEFAULT)) {
            List<Tensor> in = new ArrayList<>();
            in.add(new Tensor("x_float", DataType.FP32, new long[]{1, 2}, new float[]{1.5f, -2}));
            in.add(new Tensor("x_double", DataType.FP64, new long[]{1, 2}, new double[]{1e300, -0.25}));
            in.add(new Tensor("x_int8", DataType.INT8, new long[]{1, 2}, new byte[]{-128, 127}));
            in.add(new Tensor("x_int16", DataType.INT16, new long[]{1, 2}, new short[]{-32768, 32767}));
            in.add(new Tensor("x_int32", DataType.INT32, new long[]{1, 2}, new int[]{Integer.MIN_VALUE, 7}));
            in.add(new Tensor("x_int64", DataType.INT64, new long[]{1, 2}, new long[]{Long.MAX_VALUE, -1}));
            in.add(new Tensor("x_uint8", DataType.UINT8, new long[]{1, 2}, new byte[]{(byte) 255, 0}));
            in.add(new Tensor("x_bool", DataType.BOOL, new long[]{1, 2}, new byte[]{1, 0}));
            in.add(new Tensor("x_string", DataType.BYTES, new long[]{1, 2}, new String[]{"a", "ünï"}));
            List<Tensor> out = session.run(in);
            assertEquals(in.size(), out.size());
            for (Tensor o : out) {
                Tensor i = in.stream().filter(t -> t.name().equals("x_" + o.name().substring(2))).findFirst().orElseThrow();
                assertEquals(i.type(), o.type(), o.name());
                assertTrue(java.util.Objects.deepEquals(new Object[]{i.data()}, new Object[]{o.data()}), o.name());
            }
        }
    }

    @Test
    void wrongTypeOrShapeIsAnInputError() throws Exception {
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession session = engine.open(TestModelFiles.softmaxMlp(dir), EngineOptions.DEFAULT)) {
            EdgeLoopException shape = assertThrows(EdgeLoopException.class,
                    () -> session.run(List.of(Tensor.of("input", new float[783], 1, 783))));
            assertEquals(ErrorCode.INFERENCE_INPUT_INVALID, shape.code());
            EdgeLoopException type = assertThrows(EdgeLoopException.class, () -> session.run(List.of(
                    new Tensor("input", DataType.FP64, new long[]{1, 784}, new double[784]))));
            assertEquals(ErrorCode.INFERENCE_INPUT_INVALID, type.code());
            EdgeLoopException name = assertThrows(EdgeLoopException.class,
                    () -> session.run(List.of(Tensor.of("x", new float[784], 1, 784))));
            assertTrue(name.getMessage().contains("'input' is missing"), name.getMessage());
        }
    }

    @Test
    void notAModelIsModelInvalid() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine()) {
            assertEquals(ErrorCode.MODEL_INVALID, assertThrows(EdgeLoopException.class,
                    () -> engine.open(junk, EngineOptions.DEFAULT)).code());
        }
    }

    @Test
    void cudaPreferredWithoutTheProviderServesOnCpuAndSaysWhy() throws Exception {
        EngineOptions gpu = new EngineOptions(1, List.of(EngineOptions.CUDA, "onnxruntime"));
        ExecutionProviderChoice choice = ExecutionProviderChoice.choose(gpu, Set.of("CPU"));
        assertEquals("CPU", choice.provider());
        assertTrue(choice.reason().contains("no CUDA execution provider"), choice.reason());
        assertTrue(choice.reason().contains("onnxruntime_gpu"), choice.reason());
        assertEquals("CUDA", ExecutionProviderChoice.choose(gpu, Set.of("CPU", "CUDA")).provider());
        assertEquals("CPU", ExecutionProviderChoice.choose(EngineOptions.DEFAULT, Set.of("CPU", "CUDA")).provider());

        // The real engine on this machine: CUDA only where this ONNX Runtime build has it.
        boolean cudaHere = OnnxRuntimeEngine.availableProviders().contains("CUDA");
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession session = engine.open(TestModelFiles.softmaxMlp(dir), gpu)) {
            assertEquals(cudaHere ? "CUDA" : "CPU", session.executionProvider());
            assertEquals(10, session.run(List.of(Tensor.of("input", new float[784], 1, 784))).get(0).length());
        }
    }
}
