package io.edgeloop.agent.engine;

import java.util.List;

/**
 * The input and output tensors a package's manifest declares for its model. Engines whose model
 * files describe their own tensors (ONNX) ignore it; TorchScript files carry no tensor names or
 * shapes, so the PyTorch engine serves exactly these.
 *
 * @param inputs  the model's positional inputs, in order
 * @param outputs the model's outputs, in order
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    /** Nothing declared: a bare model file installed without a package. */
    public static final ModelSignature NONE = new ModelSignature(List.of(), List.of());

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public boolean isEmpty() {
        return inputs.isEmpty() && outputs.isEmpty();
    }
}
