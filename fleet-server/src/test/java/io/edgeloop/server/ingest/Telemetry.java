package io.edgeloop.server.ingest;

import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.HardwareSummary;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.InferenceStats;
import io.edgeloop.protocol.message.ModelRef;
import io.edgeloop.protocol.message.OutputDrift;
import io.edgeloop.protocol.message.ResourceUsage;
import io.edgeloop.protocol.message.StatusMessage;
import java.time.Instant;
import java.util.List;

/** Wire messages for the ingest tests. */
public final class Telemetry {
    public static final ModelRef MODEL = new ModelRef("fashion", "1.2.0", "int8");

    private Telemetry() {
    }

    public static HealthReport health(String device, long seq, Instant ts) {
        return new HealthReport(device, ts, seq, new InferenceStats(100, 200 + seq, 300, 5, 10, 1),
                new ResourceUsage(1, 1000, 1000, 10), List.of(MODEL), null);
    }

    public static DriftReport drift(String device, long seq, Instant ts, boolean drifted) {
        return new DriftReport(device, ts, seq, MODEL, ts.minusSeconds(60), ts, 100, List.of(),
                new OutputDrift(0.1, 0.5, drifted), 0.9, null, drifted, 0.01);
    }

    public static BirthMessage birth(String device) {
        return new BirthMessage(device, Instant.now(), 1, "generic-x86_64",
                new HardwareSummary("Linux", "amd64", "cpu", 2, 1 << 30, List.of("avx2"), List.of()), "0.1.0",
                List.of(MODEL));
    }

    public static StatusMessage status(String device, boolean online) {
        return new StatusMessage(device, Instant.now(), 1, online, online ? null : "connection lost");
    }
}
