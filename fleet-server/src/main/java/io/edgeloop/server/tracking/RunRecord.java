package io.edgeloop.server.tracking;

import io.edgeloop.server.tracking.EpochResult;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One training run as tracking stores it: what was asked (parameters, dataset and its sha256,
 * code version), what it measured (per-epoch results, final metrics, duration) and what it
 * wrote (artifact name to path).
 *
 * @param startedAt ISO-8601 instant
 * @param status {@code RUNNING}, {@code SUCCEEDED} or {@code FAILED}
 */
public record RunRecord(String id, String status, String dataset, String datasetSha256,
                        Map<String, Object> parameters, List<EpochResult> epochs, Map<String, Object> metrics,
                        Map<String, String> artifacts, String codeVersion, String startedAt,
                        double durationSeconds, String error) {
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public RunRecord {
        parameters = Map.copyOf(parameters);
        epochs = List.copyOf(epochs);
        metrics = Map.copyOf(metrics);
        artifacts = Map.copyOf(artifacts);
    }

    public static RunRecord started(String id, String dataset, Map<String, Object> parameters, String codeVersion) {
        return new RunRecord(id, RUNNING, dataset, "", parameters, List.of(), Map.of(), Map.of(), codeVersion,
                Instant.now().toString(), 0, null);
    }
}
