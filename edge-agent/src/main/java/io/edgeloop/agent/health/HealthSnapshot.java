package io.edgeloop.agent.health;

import java.util.Map;

/**
 * The agent's health over the interval since the previous snapshot.
 *
 * @param p50Ms                 request latency percentiles over the interval, in milliseconds
 * @param throughput            inferences (rows) per second over the interval
 * @param shadowAgreement       fraction of shadowed requests where the candidate's top class
 *                              matched the active version's; NaN without a shadow
 * @param shadowLatencyDeltaMs  mean candidate latency minus mean active latency; NaN without a shadow
 */
public record HealthSnapshot(double intervalSeconds, long requests, long inferences, long errors,
                             double p50Ms, double p95Ms, double p99Ms, double maxMs, double throughput,
                             double processCpu, double systemCpu, long residentBytes, long heapUsedBytes,
                             long diskFreeBytes, double uptimeSeconds,
                             Map<String, String> activeVersions, Map<String, String> shadowVersions,
                             long shadowCompared, double shadowAgreement, double shadowLatencyDeltaMs) {

    public HealthSnapshot {
        activeVersions = Map.copyOf(activeVersions);
        shadowVersions = Map.copyOf(shadowVersions);
    }
}
