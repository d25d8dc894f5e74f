package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;

/**
 * Inference service figures for a {@link HealthReport}.
 *
 * @param p50Micros median request latency over the report window, in microseconds
 * @param p95Micros 95th percentile latency, in microseconds
 * @param p99Micros 99th percentile latency, in microseconds
 * @param throughputPerSecond requests per second over the report window
 * @param requestCount requests since the agent started (cumulative, so a lost report loses nothing)
 * @param errorCount failed requests since the agent started, {@code <= requestCount}
 */
public record InferenceStats(double p50Micros, double p95Micros, double p99Micros, double throughputPerSecond,
                             long requestCount, long errorCount) {
    public InferenceStats {
        FieldChecks.nonNegative("p50Micros", p50Micros);
        FieldChecks.nonNegative("p95Micros", p95Micros);
        FieldChecks.nonNegative("p99Micros", p99Micros);
        FieldChecks.nonNegative("throughputPerSecond", throughputPerSecond);
        FieldChecks.nonNegative("requestCount", requestCount);
        FieldChecks.nonNegative("errorCount", errorCount);
        if (errorCount > requestCount) {
            throw new InvalidFieldException("errorCount",
                    "must be <= requestCount (" + requestCount + "), was " + errorCount);
        }
    }
}
