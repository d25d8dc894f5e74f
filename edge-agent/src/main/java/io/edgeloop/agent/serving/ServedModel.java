package io.edgeloop.agent.serving;

import io.edgeloop.agent.batch.DynamicBatcher;
import io.edgeloop.agent.drift.DriftMonitor;
import io.edgeloop.agent.engine.ModelSession;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.store.ModelDescriptor;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One loaded model version: its engine session behind a dynamic batcher, and its drift monitor
 * when the package has a baseline. Closing drains queued requests, then frees the session.
 */
public final class ServedModel implements AutoCloseable {
    private final ModelDescriptor descriptor;
    private final ModelSession session;
    private final DynamicBatcher batcher;
    private final DriftMonitor drift;

    public ServedModel(ModelDescriptor descriptor, ModelSession session, DynamicBatcher batcher, DriftMonitor drift) {
        this.descriptor = descriptor;
        this.session = session;
        this.batcher = batcher;
        this.drift = drift;
    }

    public String name() {
        return descriptor.name();
    }

    public String version() {
        return descriptor.version();
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public ModelSession session() {
        return session;
    }

    /** The drift monitor, or null when the package carries no baseline. */
    public DriftMonitor drift() {
        return drift;
    }

    public CompletableFuture<List<Tensor>> infer(List<Tensor> inputs) {
        return batcher.submit(inputs);
    }

    public DynamicBatcher batcher() {
        return batcher;
    }

    public int inFlight() {
        return batcher.inFlight();
    }

    @Override
    public void close() {
        batcher.close();
        session.close();
    }
}
