package io.edgeloop.agent.engine;

import io.edgeloop.protocol.EdgeLoopException;

import java.util.List;

/**
 * A loaded model ready to run. Thread-safe for {@link #run}; {@link #close()} frees its native
 * resources and must be called once no run is in flight.
 */
public interface ModelSession extends AutoCloseable {

    List<TensorSpec> inputs();

    List<TensorSpec> outputs();

    /** The execution provider actually in use, e.g. "CPU" or "CUDA". */
    String executionProvider();

    /**
     * Runs the model on {@code inputs} (one per declared input, matched by name) and returns the
     * outputs in declaration order.
     *
     * @throws EdgeLoopException {@code INFERENCE_INPUT_INVALID} for inputs the model cannot take,
     *                           {@code INFERENCE_FAILED} when the engine fails
     */
    List<Tensor> run(List<Tensor> inputs) throws EdgeLoopException;

    @Override
    void close();
}
