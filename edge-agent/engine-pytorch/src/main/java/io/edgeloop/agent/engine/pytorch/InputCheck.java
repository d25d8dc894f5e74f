package io.edgeloop.agent.engine.pytorch;

import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.engine.TensorSpec;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Matches a request's tensors to the declared inputs by name and checks type and shape before
 * anything reaches PyTorch, whose own errors name neither the input nor what was expected.
 */
final class InputCheck {
    private InputCheck() {
    }

    /** The given tensors in declaration order; refuses missing, extra, mistyped or misshapen ones. */
    static List<Tensor> ordered(List<TensorSpec> declared, List<Tensor> given) throws EdgeLoopException {
        List<Tensor> ordered = new ArrayList<>(declared.size());
        for (TensorSpec spec : declared) {
            Tensor tensor = given.stream().filter(t -> t.name().equals(spec.name())).findFirst()
                    .orElseThrow(() -> new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID,
                            "input '" + spec.name() + "' is missing"));
            if (tensor.type() != spec.type()) {
                throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "input '" + spec.name() + "' must be "
                        + spec.type() + ", not " + tensor.type());
            }
            if (!spec.accepts(tensor.shape())) {
                throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "input '" + spec.name()
                        + "' must have shape " + Arrays.toString(spec.shape()) + " (-1 = any), not "
                        + Arrays.toString(tensor.shape()));
            }
            ordered.add(tensor);
        }
        if (given.size() != declared.size()) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "the model takes " + declared.size()
                    + " input(s) " + PytorchModelSession.names(declared) + " but " + given.size() + " were given");
        }
        return ordered;
    }
}
