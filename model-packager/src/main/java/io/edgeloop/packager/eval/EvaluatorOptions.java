package io.edgeloop.packager.eval;

/**
 * Settings of {@link ModelEvaluator}.
 *
 * @param threads          intra-op threads of every session (1: latency and throughput "per core")
 * @param evalBatch        batch size for computing the metrics
 * @param throughputBatch  batch size of the throughput measurement
 * @param warmupRuns       single-sample runs discarded before latency is recorded
 * @param latencyRuns      single-sample runs recorded
 * @param throughputMillis how long throughput is measured
 */
public record EvaluatorOptions(int threads, int evalBatch, int throughputBatch, int warmupRuns, int latencyRuns,
                               int throughputMillis) {
    public static final int DEFAULT_THREADS = 1;
    public static final int DEFAULT_EVAL_BATCH = 256;
    public static final int DEFAULT_THROUGHPUT_BATCH = 64;
    public static final int DEFAULT_WARMUP_RUNS = 200;
    public static final int DEFAULT_LATENCY_RUNS = 2000;
    public static final int DEFAULT_THROUGHPUT_MILLIS = 2000;
    public static final EvaluatorOptions DEFAULT = new EvaluatorOptions(DEFAULT_THREADS, DEFAULT_EVAL_BATCH,
            DEFAULT_THROUGHPUT_BATCH, DEFAULT_WARMUP_RUNS, DEFAULT_LATENCY_RUNS, DEFAULT_THROUGHPUT_MILLIS);

    public EvaluatorOptions {
        if (threads < 1 || evalBatch < 1 || throughputBatch < 1 || warmupRuns < 0 || latencyRuns < 1
                || throughputMillis < 1) {
            throw new IllegalArgumentException("evaluator settings must be positive (threads >= 1)");
        }
    }

    public EvaluatorOptions withThreads(int n) {
        return new EvaluatorOptions(n, evalBatch, throughputBatch, warmupRuns, latencyRuns, throughputMillis);
    }

    /** Short timings for tests. */
    public EvaluatorOptions quick() {
        return new EvaluatorOptions(threads, evalBatch, throughputBatch, 10, 50, 100);
    }
}
