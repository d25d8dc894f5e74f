package io.edgeloop.agent.serving;

import io.edgeloop.agent.batch.DynamicBatcher;
import io.edgeloop.agent.drift.DriftMonitor;
import io.edgeloop.agent.engine.ModelSession;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.store.ModelDescriptor;

import io.edgeloop.packageformat.baseline.OutputBaseline;

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

    /**
     * The top class of each row of this model's {@code outputs}, read the way inference reads
     * them (the baseline's score output, else the first class-score tensor); null when the model
     * is not a classifier.
     */
    public int[] topClasses(List<Tensor> outputs) {
        OutputBaseline baseline = descriptor.baseline() == null ? null : descriptor.baseline().outputs();
        Tensor scores = Classification.scores(outputs, descriptor.classes().size(), baseline);
        if (scores == null) {
            return null;
        }
        int rows = (int) Math.max(1, scores.rows());
        int width = scores.length() / rows;
        int[] top = new int[rows];
        for (int r = 0; r < rows; r++) {
            top[r] = Classification.argmax(scores.floats(), r * width, width);
        }
        return top;
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
