package io.edgeloop.agent.batch;

import io.edgeloop.agent.engine.ModelSession;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Groups concurrent inference requests into one engine call. A worker takes the first waiting
 * request, adds every compatible request already queued, and, when the previous batch showed
 * concurrency (more than one request), waits up to {@code maxDelay} for more until
 * {@code maxBatch} rows; then it runs the engine once and splits the outputs. A lone sequential
 * client therefore never pays the delay, while concurrent clients share engine calls.
 */
public final class DynamicBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    private record Request(List<Tensor> inputs, long rows, CompletableFuture<List<Tensor>> result) {
    }

    private final ModelSession session;
    private final BatchOptions options;
    private final BlockingQueue<Request> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder engineCalls = new LongAdder();
    private final LongAdder rowsRun = new LongAdder();
    private final boolean batchable;
    private volatile boolean closed;
    /** Whether the worker's last batch saw concurrency; while it does, nothing runs inline. */
    private volatile boolean concurrentLoad;

    public DynamicBatcher(ModelSession session, BatchOptions options, String name) {
        this.session = session;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.batchable = !session.inputs().isEmpty() && session.inputs().stream().allMatch(s -> s.batchable())
                && session.outputs().stream().allMatch(s -> s.batchable());
        for (int i = 0; i < options.workers(); i++) {
            Thread t = new Thread(this::work, "batcher-" + name + "-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /** Whether the model's inputs and outputs all have a dynamic first dimension. */
    public boolean batchable() {
        return batchable;
    }

    /**
     * Runs or queues one request; the future completes with its outputs or an
     * {@link EdgeLoopException}. When nothing else is queued or running and the worker's last
     * batch saw no concurrency, the request runs at once on the calling thread: a lone client then
     * pays no hand-off to a worker and back, which on a busy small device costs more than the
     * inference itself. Any request arriving meanwhile, and every request under concurrent load,
     * goes to the queue and is batched.
     */
    public CompletableFuture<List<Tensor>> submit(List<Tensor> inputs) {
        CompletableFuture<List<Tensor>> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(unloaded());
            return result;
        }
        long rows = inputs.isEmpty() ? 1 : inputs.get(0).rows();
        if (options.inlineWhenIdle() && !concurrentLoad && queue.isEmpty() && running.compareAndSet(0, 1)) {
            try {
                // Re-checked after claiming: close() sets closed and then waits for running == 0.
                if (closed) {
                    result.completeExceptionally(unloaded());
                } else {
                    runAlone(new Request(inputs, rows, result));
                }
            } finally {
                running.decrementAndGet();
            }
            return result;
        }
        Request request = new Request(inputs, rows, result);
        if (!queue.offer(request)) {
            result.completeExceptionally(new EdgeLoopException(ErrorCode.OVERLOADED,
                    "the inference queue is full (" + options.queueCapacity() + " requests); retry later"));
        } else if (closed && queue.remove(request)) {
            // Queued after close() drained the queue: nobody would run it.
            result.completeExceptionally(unloaded());
        }
        return result;
    }

    /** A request reached a version being unloaded ({@link ErrorCode#MODEL_UNLOADING}); the caller may retry on the new one. */
    public static EdgeLoopException unloaded() {
        return new EdgeLoopException(ErrorCode.MODEL_UNLOADING, "the model version was unloaded while the request waited");
    }

    /** Engine calls made so far; with {@link #rowsRun()} it gives the mean batch size. */
    public long engineCalls() {
        return engineCalls.sum();
    }

    /** Rows (samples) the engine has run so far. */
    public long rowsRun() {
        return rowsRun.sum();
    }

    /** Requests queued or running now. */
    public int inFlight() {
        return queue.size() + running.get();
    }

    private void work() {
        Request carry = null;
        boolean concurrent = false;
        while (!closed || !queue.isEmpty() || carry != null) {
            try {
                Request first = carry != null ? carry : queue.poll(100, TimeUnit.MILLISECONDS);
                carry = null;
                if (first == null) {
                    continue;
                }
                List<Request> batch = new ArrayList<>();
                batch.add(first);
                long rows = first.rows;
                if (batchable && first.rows < options.maxBatch()) {
                    long deadline = System.nanoTime() + (concurrent ? options.maxDelay().toNanos() : 0);
                    while (rows < options.maxBatch()) {
                        Request next = queue.poll();
                        if (next == null) {
                            long left = deadline - System.nanoTime();
                            next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                            if (next == null) {
                                break;
                            }
                        }
                        if (rows + next.rows > options.maxBatch() || !Batch.compatible(first.inputs, next.inputs)) {
                            carry = next;
                            break;
                        }
                        batch.add(next);
                        rows += next.rows;
                    }
                }
                concurrent = batch.size() > 1 || carry != null || !queue.isEmpty();
                // Under concurrent load every request goes through the queue: an inline run would
                // take the engine for one row while the worker could have run several at once.
                concurrentLoad = concurrent;
                running.addAndGet(batch.size());
                try {
                    run(batch, rows);
                } finally {
                    running.addAndGet(-batch.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("batch worker failed", e);
            }
        }
    }

    private void run(List<Request> batch, long rows) {
        if (batch.size() == 1) {
            runAlone(batch.get(0));
            return;
        }
        List<List<Tensor>> parts;
        try {
            List<List<Tensor>> inputs = new ArrayList<>(batch.size());
            long[] sizes = new long[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                inputs.add(batch.get(i).inputs);
                sizes[i] = batch.get(i).rows;
            }
            parts = Batch.split(session.run(Batch.concat(inputs, rows)), sizes, rows);
            engineCalls.increment();
            rowsRun.add(rows);
        } catch (EdgeLoopException | RuntimeException e) {
            // One bad request must not fail its neighbours: retry each on its own.
            parts = null;
        }
        if (parts == null) {
            batch.forEach(this::runAlone);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result.complete(parts.get(i));
        }
    }

    private void runAlone(Request request) {
        try {
            List<Tensor> outputs = session.run(request.inputs);
            engineCalls.increment();
            rowsRun.add(request.rows);
            request.result.complete(outputs);
        } catch (EdgeLoopException | RuntimeException e) {
            request.result.completeExceptionally(e);
        }
    }

    /** Stops taking requests, finishes the queued ones, and stops the workers. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Request left;
        while ((left = queue.poll()) != null) {
            left.result.completeExceptionally(unloaded());
        }
        // Inline runs on callers' threads finish before the session may be closed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
