package io.edgeloop.agent.telemetry;

import io.edgeloop.agent.drift.DriftResult;
import io.edgeloop.agent.drift.FeatureDrift;
import io.edgeloop.agent.health.HealthSnapshot;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.HealthReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TelemetryMessagesTest {
    private final MessageCodec codec = new MessageCodec();

    @Test
    void driftResultBecomesAValidWireMessage() throws Exception {
        DriftResult r = new DriftResult("fashion", "1.0.0", 3, 1_000, 2_000, 500,
                List.of(new FeatureDrift("mean", 0.5, 0.2, 0.4, 0.3, 1e-9, 0.0025, true)),
                new double[]{0.5, 0.5}, 0.3, 1e-6, 0.6, 0.9, 0.55, 0.85, 40, 0.7, true,
                List.of("input mean: ...", "predicted classes: PSI 0.300 >= 0.200"));
        DriftReport report = TelemetryMessages.drift("dev-1", 7, r, "fp32", 0.01);
        DriftReport back = codec.decode(codec.encode(report), DriftReport.class);
        assertEquals(7, back.seq());
        assertEquals("fp32", back.model().variant());
        assertTrue(back.drifted());
        assertTrue(back.output().drifted());
        assertEquals(0.01, back.alpha(), 1e-12);
        assertEquals(0.7, back.liveAccuracy().accuracy(), 1e-12);
        assertEquals(500, back.samples());
    }

    @Test
    void healthSnapshotBecomesAValidWireMessage() throws Exception {
        HealthSnapshot s = new HealthSnapshot(10, 100, 400, 2, 0.2, 0.5, 0.9, 1.5, 40, 0.25, 0.5, 100_000_000L,
                20_000_000L, 5_000_000_000L, 60, Map.of("fashion", "1.0.0"), Map.of(), 0, Double.NaN, Double.NaN);
        HealthReport report = TelemetryMessages.health("dev-1", 1, s, 1000, 2, (m, v) -> "int8");
        HealthReport back = codec.decode(codec.encode(report), HealthReport.class);
        assertEquals(200, back.inference().p50Micros(), 1e-9);
        assertEquals(1002, back.inference().requestCount());
        assertEquals("int8", back.activeModels().get(0).variant());
        assertNull(back.shadow());
    }
}
