package io.edgeloop.packager.quantize;

/**
 * Bounds and measurement settings of {@link QuantizationPlanner}.
 *
 * @param batch             batch size of throughput runs
 * @param threads           intra-op threads for timings (1: comparable, and how the edge runs)
 * @param batchesPerRound   batches each candidate runs per round, alternating with the others
 * @param rounds            measurement rounds; the best round counts
 * @param timePercentile    which percentile of batch times gives throughput (low: runs nothing preempted)
 * @param latencyRuns       single-sample runs for the latency percentile
 * @param maxAccuracyDropPp largest accepted accuracy loss vs fp32, in percentage points
 * @param minAgreement      smallest accepted top-1 agreement with fp32
 * @param maxSizeRatio      largest accepted int8/fp32 file size ratio
 * @param minSpeedup        smallest accepted throughput ratio; above 1 so noise cannot pick a slower plan
 * @param calibration       how activations are calibrated
 */
public record PlannerOptions(int batch, int threads, int batchesPerRound, int rounds, double timePercentile, int latencyRuns,
                             double maxAccuracyDropPp, double minAgreement, double maxSizeRatio,
                             double minSpeedup, CalibrationOptions calibration) {
    public static final int DEFAULT_BATCH = 64;
    public static final int DEFAULT_THREADS = 1;
    public static final int DEFAULT_BATCHES_PER_ROUND = 200;
    public static final int DEFAULT_ROUNDS = 2;
    public static final double DEFAULT_TIME_PERCENTILE = 20;
    public static final int DEFAULT_LATENCY_RUNS = 500;
    public static final double DEFAULT_MAX_ACCURACY_DROP_PP = 1.0;
    public static final double DEFAULT_MIN_AGREEMENT = 0.98;
    public static final double DEFAULT_MAX_SIZE_RATIO = 0.30;
    public static final double DEFAULT_MIN_SPEEDUP = 1.03;
    public static final PlannerOptions DEFAULT = new PlannerOptions(DEFAULT_BATCH, DEFAULT_THREADS,
            DEFAULT_BATCHES_PER_ROUND, DEFAULT_ROUNDS, DEFAULT_TIME_PERCENTILE, DEFAULT_LATENCY_RUNS, DEFAULT_MAX_ACCURACY_DROP_PP,
            DEFAULT_MIN_AGREEMENT, DEFAULT_MAX_SIZE_RATIO, DEFAULT_MIN_SPEEDUP, CalibrationOptions.DEFAULT);

    public PlannerOptions {
        if (batch < 1 || threads < 0 || batchesPerRound < 1 || rounds < 1 || latencyRuns < 1) {
            throw new IllegalArgumentException("batch, batchesPerRound, rounds and latencyRuns must be positive");
        }
        if (!(timePercentile >= 0 && timePercentile <= 100)) {
            throw new IllegalArgumentException("timePercentile must be in [0, 100], not " + timePercentile);
        }
        if (calibration == null) {
            throw new IllegalArgumentException("calibration options are required");
        }
    }

    /** Shorter timings, for tests and quick checks. */
    public PlannerOptions quick() {
        return new PlannerOptions(batch, threads, 40, 1, timePercentile, 50, maxAccuracyDropPp, minAgreement, maxSizeRatio,
                minSpeedup, calibration);
    }
}
