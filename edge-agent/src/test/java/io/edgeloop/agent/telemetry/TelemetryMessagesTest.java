package io.edgeloop.agent.telemetry;

import io.edgeloop.agent.drift.ClassCount;
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
                List.of(new FeatureDrift("mean", "input", 0.5, 0.2, 0.4, 0.3, 1e-9, 0.0025, true)),
                new double[]{0.5, 0.5}, List.of(new ClassCount("a", 400, 250), new ClassCount("b", 100, 250)),
                0.3, 180, 1e-6, 0.0025, true, 0.6, 0.9, 0.55, 0.51, 0.59, "atc-max-confidence", false, 0.85,
                40, 0.7, -0.15, 0.01, 4, true, List.of("input mean: ...", "predicted classes: chi-square ..."),
                "Drift in 500 samples: mean up (0.5 vs 0.2), class mix ('a' predicted 400 times vs 250.0 expected).");
        // The reason strings decide nothing: the output's own flag does.
        DriftReport report = TelemetryMessages.drift("dev-1", 7, r, "fp32");
        DriftReport back = codec.decode(codec.encode(report), DriftReport.class);
        assertEquals(7, back.seq());
        assertEquals("fp32", back.model().variant());
        assertTrue(back.drifted());
        assertTrue(back.output().drifted());
        assertEquals(0.0025, back.alpha(), 1e-12);
        assertEquals(0.01, back.familyAlpha(), 1e-12);
        assertEquals(400, back.output().classes().get(0).observed());
        assertEquals(250, back.output().classes().get(0).expected(), 1e-12);
        assertEquals(180, back.output().chiSquare(), 1e-12);
        assertEquals(0.0025, back.features().get(0).threshold(), 1e-12);
        assertEquals("input", back.features().get(0).source());
        assertEquals(0.51, back.estimate().low(), 1e-12);
        assertEquals(-0.15, back.liveAccuracy().estimateError(), 1e-12);
        assertTrue(back.summary().startsWith("Drift in 500 samples"));
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
