package io.edgeloop.agent.serving;

import io.edgeloop.agent.buffer.CaptureBuffer;
import io.edgeloop.agent.buffer.CaptureCounters;
import io.edgeloop.agent.buffer.CaptureSampling;
import io.edgeloop.agent.buffer.PendingLabels;
import io.edgeloop.agent.drift.DriftMonitor;
import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.health.HealthMonitor;
import io.edgeloop.packageformat.baseline.OutputBaseline;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One inference end to end, whatever the transport: run on the active version (batched), then
 * record latency, feed the drift monitor, capture a sample when chosen, and let a shadow
 * candidate answer the same inputs for comparison. The capture is written before the result is
 * returned, so a client that got an answer knows a chosen capture is durable.
 */
public final class InferenceService {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);
    /** Captures of low-confidence answers are kept longer: they teach retraining the most. */
    static final int PRIORITY_NORMAL = 1;
    static final int PRIORITY_LOW_CONFIDENCE = 2;
    static final int PRIORITY_REQUESTED = 3;
    private static final double LOW_CONFIDENCE = 0.5;

    private final ModelRegistry registry;
    private final HealthMonitor health;
    private final CaptureBuffer capture;
    private final CaptureSampling sampling;
    private final PendingLabels labels;
    private final CaptureCounters counters;
    private final String idPrefix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36) + "-";
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param capture where chosen samples go, or null for none
     * @param sampling which requests are chosen (with {@code capture})
     * @param labels where feedback labels wait for the fleet uploader, or null
     * @param counters counts feedback labels the full pending store refused
     */
    public InferenceService(ModelRegistry registry, HealthMonitor health, CaptureBuffer capture, CaptureSampling sampling,
                            PendingLabels labels, CaptureCounters counters) {
        this.registry = registry;
        this.health = health;
        this.capture = capture;
        this.sampling = sampling;
        this.labels = labels;
        this.counters = counters;
    }

    /**
     * What one feedback did.
     *
     * @param matched the drift monitor knew the prediction, so live accuracy counts it
     * @param labelled the label was kept for the fleet uploader (it runs, and had room)
     */
    public record Feedback(boolean matched, boolean labelled) {
    }

    public ModelRegistry registry() {
        return registry;
    }

    /**
     * Runs one request. The future fails with {@link EdgeLoopException} (possibly wrapped in a
     * {@link CompletionException}) for bad inputs or engine failures.
     */
    public CompletableFuture<InferenceResult> infer(String name, String version, String requestId, List<Tensor> inputs,
                                                    boolean forceCapture) throws EdgeLoopException {
        CompletableFuture<InferenceResult> first = inferOnce(name, version, requestId, inputs, forceCapture);
        // A request that reached a version just as an activation replaced it runs again on the new one.
        return first.handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof EdgeLoopException el && el.code() == ErrorCode.MODEL_UNLOADING) {
                try {
                    return inferOnce(name, version, requestId, inputs, forceCapture);
                } catch (EdgeLoopException again) {
                    return CompletableFuture.<InferenceResult>failedFuture(again);
                }
            }
            return CompletableFuture.<InferenceResult>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<InferenceResult> inferOnce(String name, String version, String requestId, List<Tensor> inputs,
                                                         boolean forceCapture) throws EdgeLoopException {
        ServedModel model = registry.get(name, version);
        String id = requestId != null ? requestId : idPrefix + ids.incrementAndGet();
        long start = System.nanoTime();
        ServedModel shadow = registry.shadowOf(name);
        CompletableFuture<List<Tensor>> shadowed = shadow == null ? null : shadow.infer(inputs);
        return model.infer(inputs).handle((outputs, error) -> {
            long nanos = System.nanoTime() - start;
            if (error != null) {
                health.recordError();
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
            }
            long rows = inputs.get(0).rows();
            health.recordRequest(nanos, rows);
            observe(model, id, inputs, outputs, forceCapture);
            if (shadowed != null) {
                compareShadow(model, shadowed, outputs, nanos, start);
            }
            return new InferenceResult(model.name(), model.version(), id, outputs);
        });
    }

    private void observe(ServedModel model, String id, List<Tensor> inputs, List<Tensor> outputs, boolean forceCapture) {
        DriftMonitor drift = model.drift();
        boolean sampled = forceCapture || (capture != null && sampling != null && sampling.sample());
        if (drift == null && !sampled) {
            return;
        }
        Tensor input = inputs.get(0);
        OutputBaseline baseline = model.descriptor().baseline() == null ? null : model.descriptor().baseline().outputs();
        Tensor scores = Classification.scores(outputs, model.descriptor().classes().size(), baseline);
        if (input.type() != DataType.FP32 || scores == null) {
            return;
        }
        int rows = (int) input.rows();
        int width = input.length() / Math.max(1, rows);
        int classes = scores.length() / Math.max(1, rows);
        long[] rowShape = rowShape(input.shape(), width);
        float[] probs = Classification.probabilities(scores.floats(), classes, baseline);
        for (int r = 0; r < rows; r++) {
            String rowId = rows == 1 ? id : id + "#" + r;
            if (drift != null && drift.baseline().outputs().classes().size() == classes) {
                drift.observe(rowId, input.floats(), r * width, width, probs, r * classes);
            }
            if (sampled && capture != null) {
                int top = Classification.argmax(probs, r * classes, classes);
                int priority = forceCapture ? PRIORITY_REQUESTED
                        : probs[r * classes + top] < LOW_CONFIDENCE ? PRIORITY_LOW_CONFIDENCE : PRIORITY_NORMAL;
                try {
                    capture.append(priority, rowId, model.name(), model.version(), top, rowShape,
                            java.util.Arrays.copyOfRange(input.floats(), r * width, (r + 1) * width),
                            java.util.Arrays.copyOfRange(probs, r * classes, (r + 1) * classes));
                } catch (EdgeLoopException e) {
                    LOG.warn("capture failed: {}", e.describe());
                }
            }
        }
    }

    /** One row's shape: the batch dimension set to 1; null when it does not hold {@code width} values. */
    private static long[] rowShape(long[] shape, int width) {
        long[] row = shape.length >= 2 ? shape.clone() : new long[] {1, width};
        row[0] = 1;
        long product = 1;
        for (long dimension : row) {
            product *= dimension;
        }
        return product == width ? row : null;
    }

    private void compareShadow(ServedModel model, CompletableFuture<List<Tensor>> shadowed, List<Tensor> outputs,
                               long activeNanos, long start) {
        shadowed.whenComplete((shadowOutputs, error) -> {
            if (error != null) {
                return;
            }
            long shadowNanos = System.nanoTime() - start;
            int classes = model.descriptor().classes().size();
            Tensor a = Classification.scores(outputs, classes);
            Tensor b = Classification.scores(shadowOutputs, classes);
            if (a == null || b == null || a.length() != b.length()) {
                return;
            }
            int width = (int) (a.length() / Math.max(1, a.rows()));
            boolean same = true;
            for (int r = 0; r < a.rows(); r++) {
                same &= Classification.argmax(a.floats(), r * width, width) == Classification.argmax(b.floats(), r * width, width);
            }
            health.shadow().record(same, activeNanos, shadowNanos);
        });
    }

    /**
     * Ground truth for an earlier request of {@code name}: counted in live accuracy when the drift
     * monitor still knows the prediction, and kept as a label for the fleet while an uploader runs
     * (whether or not the request was captured: the server joins labels with its captures).
     */
    public Feedback feedback(String name, String requestId, int label) throws EdgeLoopException {
        ServedModel model = registry.get(name, null);
        DriftMonitor drift = model.drift();
        boolean matched = drift != null && drift.feedback(requestId, label);
        boolean labelled = false;
        if (labels != null && labels.collecting()) {
            labelled = labels.offer(model.name(), requestId, label, System.currentTimeMillis());
            if (!labelled && counters != null) {
                counters.addLabelDropped();
            }
        }
        return new Feedback(matched, labelled);
    }
}
