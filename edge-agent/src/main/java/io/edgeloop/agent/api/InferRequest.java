package io.edgeloop.agent.api;

import io.edgeloop.agent.engine.Tensor;

import java.util.List;
import java.util.Set;

/**
 * A parsed KServe v2 inference request.
 *
 * @param id      the client's request id, or null (the agent then assigns one)
 * @param outputs names of the outputs wanted; empty means all
 * @param capture whether the client asked for this request to be captured (parameter {@code capture: true})
 * @param binaryOutputs the outputs to answer in binary (binary tensor data extension); empty = none
 * @param allBinary     whether every output is to be answered in binary ({@code binary_data_output: true})
 */
public record InferRequest(String id, List<Tensor> inputs, List<String> outputs, boolean capture,
                           Set<String> binaryOutputs, boolean allBinary) {
    public InferRequest {
        binaryOutputs = Set.copyOf(binaryOutputs);
    }

    /** A request answered in JSON only. */
    public InferRequest(String id, List<Tensor> inputs, List<String> outputs, boolean capture) {
        this(id, inputs, outputs, capture, Set.of(), false);
    }

    /** Whether output {@code name} is to be answered in binary. */
    public boolean binary(String name) {
        return allBinary || binaryOutputs.contains(name);
    }
}
