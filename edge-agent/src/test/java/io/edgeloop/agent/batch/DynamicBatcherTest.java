package io.edgeloop.agent.batch;

import io.edgeloop.agent.engine.EngineOptions;
import io.edgeloop.agent.engine.ModelSession;
import io.edgeloop.agent.engine.OnnxRuntimeEngine;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.engine.TensorSpec;
import io.edgeloop.fixtures.TestModelFiles;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.ErrorResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamicBatcherTest {
    @TempDir
    Path dir;

    /** Counts engine calls on a real session. */
    static class CountingSession implements ModelSession {
        final ModelSession delegate;
        final AtomicInteger calls = new AtomicInteger();
        /** Engine calls wait here until it opens: requests pile up behind a busy engine, deterministically. */
        volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);

        CountingSession(ModelSession delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<TensorSpec> inputs() {
            return delegate.inputs();
        }

        @Override
        public List<TensorSpec> outputs() {
            return delegate.outputs();
        }

        @Override
        public String executionProvider() {
            return delegate.executionProvider();
        }

        @Override
        public List<Tensor> run(List<Tensor> inputs) throws EdgeLoopException {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            calls.incrementAndGet();
            return delegate.run(inputs);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static float[] sample(int seed, int rows) {
        float[] x = new float[rows * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 31 + seed * 17) % 256) / 255f;
        }
        return x;
    }

    @Test
    void concurrentRequestsShareEngineCallsAndGetTheirOwnRows() throws Exception {
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine()) {
            CountingSession session = new CountingSession(engine.open(TestModelFiles.softmaxMlp(dir), EngineOptions.DEFAULT));
            BatchOptions options = new BatchOptions(32, 20_000, 1000, 1, false);
            try (DynamicBatcher batcher = new DynamicBatcher(session, options, "t")) {
                assertTrue(batcher.batchable());
                int n = 200;
                List<float[]> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int rows = 1 + i % 3;
                    expected.add(session.delegate.run(List.of(Tensor.of("input", sample(i, rows), rows, 784))).get(0).floats());
                }
                session.calls.set(0);
                // The engine is busy (held) while all requests arrive, as under concurrent load: the
                // queued ones must then share engine calls, however fast this machine submits.
                session.gate = new java.util.concurrent.CountDownLatch(1);
                List<CompletableFuture<List<Tensor>>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int rows = 1 + i % 3;
                    futures.add(batcher.submit(List.of(Tensor.of("input", sample(i, rows), rows, 784))));
                }
                session.gate.countDown();
                for (int i = 0; i < n; i++) {
                    Tensor out = futures.get(i).get(10, TimeUnit.SECONDS).get(0);
                    assertEquals(1 + i % 3, out.shape()[0]);
                    assertArrayEquals(expected.get(i), out.floats(), 1e-6f, "request " + i);
                }
                assertTrue(session.calls.get() < n / 4, "expected batching, got " + session.calls.get() + " engine calls");
            }
        }
    }

    @Test
    void oneBadRequestDoesNotFailItsBatch() throws Exception {
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession session = engine.open(TestModelFiles.softmaxMlp(dir), EngineOptions.DEFAULT);
             DynamicBatcher batcher = new DynamicBatcher(session, new BatchOptions(8, 20_000, 100, 1, false), "t")) {
            CompletableFuture<List<Tensor>> good = batcher.submit(List.of(Tensor.of("input", sample(1, 1), 1, 784)));
            CompletableFuture<List<Tensor>> bad = batcher.submit(List.of(Tensor.of("wrong", sample(1, 1), 1, 784)));
            CompletableFuture<List<Tensor>> good2 = batcher.submit(List.of(Tensor.of("input", sample(2, 1), 1, 784)));
            assertEquals(10, good.get(5, TimeUnit.SECONDS).get(0).length());
            assertEquals(10, good2.get(5, TimeUnit.SECONDS).get(0).length());
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
            assertEquals(ErrorCode.INFERENCE_INPUT_INVALID, assertInstanceOf(EdgeLoopException.class, e.getCause()).code());
        }
    }

    @Test
    void aLoneRequestRunsOnTheCallersThread() throws Exception {
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession session = engine.open(TestModelFiles.softmaxMlp(dir), EngineOptions.DEFAULT);
             DynamicBatcher batcher = new DynamicBatcher(session, BatchOptions.DEFAULT, "t")) {
            CompletableFuture<List<Tensor>> f = batcher.submit(List.of(Tensor.of("input", sample(3, 1), 1, 784)));
            assertTrue(f.isDone(), "ran inline, so the future is complete when submit returns");
            assertEquals(10, f.get().get(0).length());
            assertEquals(0, batcher.inFlight());
        }
    }

    @Test
    void closedBatcherRefusesNewRequests() throws Exception {
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession session = engine.open(TestModelFiles.softmaxMlp(dir), EngineOptions.DEFAULT)) {
            DynamicBatcher batcher = new DynamicBatcher(session, BatchOptions.DEFAULT, "t");
            batcher.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> batcher.submit(
                    List.of(Tensor.of("input", sample(1, 1), 1, 784))).get(1, TimeUnit.SECONDS));
            assertInstanceOf(EdgeLoopException.class, e.getCause());
            assertEquals(ErrorCode.MODEL_UNLOADING, ((EdgeLoopException) e.getCause()).code(),
                    "callers retry on the code, not on the message");
            assertEquals(503, ErrorResponse.of(e).status());
        }
    }

    @Test
    void aFullQueueRefusesWithOverloadedWhichAnswers503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession real = engine.open(TestModelFiles.softmaxMlp(dir), EngineOptions.DEFAULT)) {
            ModelSession blocked = new CountingSession(real) {
                @Override
                public List<Tensor> run(List<Tensor> inputs) throws EdgeLoopException {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    return super.run(inputs);
                }
            };
            BatchOptions tiny = new BatchOptions(1, 0, 1, 1, false);
            try (DynamicBatcher batcher = new DynamicBatcher(blocked, tiny, "t")) {
                List<CompletableFuture<List<Tensor>>> futures = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    futures.add(batcher.submit(List.of(Tensor.of("input", sample(i, 1), 1, 784))));
                }
                List<ErrorCode> refusals = new ArrayList<>();
                for (CompletableFuture<List<Tensor>> f : futures) {
                    if (f.isCompletedExceptionally()) {
                        ExecutionException e = assertThrows(ExecutionException.class, f::get);
                        refusals.add(((EdgeLoopException) e.getCause()).code());
                        assertEquals(503, ErrorResponse.of(e).status());
                    }
                }
                release.countDown();
                assertTrue(refusals.size() >= 6, "a queue of one refuses most of 8 requests: " + refusals);
                assertEquals(List.of(ErrorCode.OVERLOADED), refusals.stream().distinct().toList());
            }
        }
    }
}
