package io.edgeloop.agent.engine;

/** Registers {@link OnnxRuntimeEngine} with the {@link EngineRegistry}. */
public final class OnnxRuntimeProvider implements EngineProvider {

    @Override
    public String engineName() {
        return "onnxruntime";
    }

    @Override
    public boolean supports(String framework) {
        return "onnx".equals(framework);
    }

    @Override
    public InferenceEngine create() {
        return new OnnxRuntimeEngine();
    }
}
