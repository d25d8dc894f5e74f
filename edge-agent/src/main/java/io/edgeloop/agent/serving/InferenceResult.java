package io.edgeloop.agent.serving;

import io.edgeloop.agent.engine.Tensor;

import java.util.List;

/** What one request produced: the version that answered, the request id, the outputs. */
public record InferenceResult(String model, String version, String id, List<Tensor> outputs) {
}
