package io.edgeloop.agent.engine.pytorch;

import io.edgeloop.agent.engine.EngineRegistry;
import io.edgeloop.agent.engine.InferenceEngine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With this module on the classpath, the agent's registry finds the PyTorch engine beside ONNX Runtime. */
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
}
