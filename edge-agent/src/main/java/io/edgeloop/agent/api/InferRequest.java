package io.edgeloop.agent.api;

import io.edgeloop.agent.engine.Tensor;

import java.util.List;

/**
 * A parsed KServe v2 inference request.
 *
 * @param id      the client's request id, or null (the agent then assigns one)
 * @param outputs names of the outputs wanted; empty means all
 * @param capture whether the client asked for this request to be captured (parameter {@code capture: true})
 */
public record InferRequest(String id, List<Tensor> inputs, List<String> outputs, boolean capture) {
}
