package io.edgeloop.server.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DriftSeriesTest {
    private static final String PAYLOAD = "{\"estimatedAccuracy\":%s,\"drifted\":%s,\"output\":{\"psi\":%s},"
            + "\"features\":[{\"name\":\"mean\",\"psi\":%s},{\"name\":\"std\",\"psi\":0.01}],\"estimate\":{\"outOfRange\":%s}}";

    private static DriftSeries.Window w(String device, long ts, String version, boolean drifted, Double acc, double psi,
                                        boolean outOfRange) {
        return DriftSeries.window(device, ts, "fashion", version, drifted,
                String.format(PAYLOAD, acc == null ? "null" : acc, drifted, psi, psi * 2, outOfRange));
    }

    @Test
    void windowsFromTheAgentsJson() {
        DriftSeries.Window w = w("a", 5, "1.0.0", true, 0.8, 0.3, true);
        assertEquals(0.8, w.estimatedAccuracy());
        assertEquals(0.3, w.outputPsi());
        assertEquals(0.6, w.maxFeaturePsi(), 1e-12);
        assertTrue(w.outOfRange() && w.drifted());
        DriftSeries.Window bare = DriftSeries.window("a", 5, "fashion", "1", false, "{}");
        assertNull(bare.estimatedAccuracy());
        assertNull(bare.maxFeaturePsi());
        assertFalse(bare.outOfRange());
    }

    @Test
    void bucketsPerModelVersionOldestFirst() {
        List<DriftSeries.Window> in = List.of(
                w("b", 61_000, "1.0.0", true, 0.5, 0.4, false),
                w("a", 1_000, "1.0.0", false, 0.9, 0.1, false),
                w("b", 2_000, "1.0.0", false, 0.7, 0.2, false),
                w("a", 62_000, "1.0.0", false, null, 0.1, false),
                w("c", 3_000, "1.1.0", false, 0.8, 0.1, true));
        DriftSeries.Result r = DriftSeries.group(in, 60, false);
        assertEquals(60, r.bucketSeconds());
        assertEquals(2, r.series().size());
        DriftSeries.Series v1 = r.series().get(0);
        assertEquals("1.0.0", v1.version());
        assertEquals(2, v1.points().size());
        DriftSeries.Point first = v1.points().get(0);
        assertEquals(0, first.start());
        assertEquals(2, first.windows());
        assertEquals(2, first.devices());
        assertEquals(0, first.drifted());
        assertEquals(0.8, first.meanEstimatedAccuracy(), 1e-12);
        assertEquals(0.7, first.minEstimatedAccuracy(), 1e-12);
        assertEquals(0.4, first.maxFeaturePsi(), 1e-12);
        DriftSeries.Point second = v1.points().get(1);
        assertEquals(60_000, second.start());
        assertEquals(1, second.drifted());
        assertEquals(0.5, second.meanEstimatedAccuracy(), 1e-12, "windows without an estimate do not count in its mean");
        assertEquals(1, r.series().get(1).points().get(0).outOfRange());
    }

    @Test
    void automaticWidthIsRoundAndGivesAboutSixtyBuckets() {
        assertEquals(1, DriftSeries.autoWidth(List.of()));
        assertEquals(1, DriftSeries.autoWidth(List.of(w("a", 0, "1", false, 0.9, 0, false), w("a", 30_000, "1", false, 0.9, 0, false))));
        // 6 hours: 360 s would give 60 buckets; the next round width is 600 s.
        assertEquals(600, DriftSeries.autoWidth(List.of(w("a", 0, "1", false, 0.9, 0, false),
                w("a", 6 * 3_600_000L, "1", false, 0.9, 0, false))));
    }
}
