package io.edgeloop.agent.engine.pytorch;

import io.edgeloop.agent.engine.EngineProvider;
import io.edgeloop.agent.engine.InferenceEngine;

/**
 * Registers {@link PytorchEngine} with the agent's engine registry through
 * {@code META-INF/services/io.edgeloop.agent.engine.EngineProvider}. Creating the engine loads no
 * native code: PyTorch's libraries load when the first TorchScript model is opened.
 */
public final class PytorchEngineProvider implements EngineProvider {

    @Override
    public String engineName() {
        return PytorchEngine.NAME;
    }

    @Override
    public boolean supports(String framework) {
        return PytorchEngine.FRAMEWORK.equals(framework);
    }

    @Override
    public InferenceEngine create() {
        return new PytorchEngine();
    }
}
