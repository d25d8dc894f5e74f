package io.edgeloop.protocol.message;

import java.time.Instant;
import java.util.List;

/**
 * The agent's periodic report on {@code telemetry/health}; rollout health gates read it.
 *
 * @param deviceId the reporting device
 * @param ts creation time
 * @param seq per-device sequence number
 * @param inference latency, throughput and request/error counts
 * @param resources CPU, memory, disk and uptime
 * @param activeModels the model versions serving requests now
 * @param shadow the shadow version's comparison, or {@code null} when none runs
 */
public record HealthReport(String deviceId, Instant ts, long seq, InferenceStats inference,
                           ResourceUsage resources, List<ModelRef> activeModels, ShadowStats shadow)
        implements Message {
    /** Schema id of this record. */
    public static final String SCHEMA = "edgeloop.health/1";

    public HealthReport {
        FieldChecks.header(deviceId, ts, seq);
        FieldChecks.present("inference", inference);
        FieldChecks.present("resources", resources);
        activeModels = FieldChecks.list("activeModels", activeModels);
    }

    @Override
    public String schema() {
        return SCHEMA;
    }
}
