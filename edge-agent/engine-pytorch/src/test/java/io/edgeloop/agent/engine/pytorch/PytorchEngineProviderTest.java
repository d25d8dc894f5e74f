package io.edgeloop.agent.engine.pytorch;

import io.edgeloop.agent.engine.EngineRegistry;
import io.edgeloop.agent.engine.InferenceEngine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With this module on the classpath, the agent's registry finds the PyTorch engine beside ONNX Runtime; its device choice. */
class PytorchEngineProviderTest {

    @Test
    void serviceLoaderFindsTheEngineForTorchScript() throws Exception {
        try (EngineRegistry registry = EngineRegistry.discover()) {
            assertTrue(registry.names().contains("pytorch"), registry.names().toString());
            assertTrue(registry.names().contains("onnxruntime"), registry.names().toString());
            InferenceEngine engine = registry.forFramework("torchscript");
            assertInstanceOf(PytorchEngine.class, engine);
            assertEquals("pytorch", engine.name());
            assertEquals("onnxruntime", registry.forFramework("onnx").name());
        }
    }

    @Test
    void runsOnCudaOnlyWhenTheBuildHasItAndAGpuIsVisible() {
        assertEquals("CPU", PytorchEngine.chooseDevice(false, 2).provider());
        assertTrue(PytorchEngine.chooseDevice(false, 2).reason().contains("no CUDA"));
        assertEquals("CPU", PytorchEngine.chooseDevice(true, 0).provider());
        assertTrue(PytorchEngine.chooseDevice(true, 0).reason().contains("sees no GPU"));
        assertEquals("CUDA", PytorchEngine.chooseDevice(true, 1).provider());
    }
}
