package io.edgeloop.agent.drift;

import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.InputSummary;
import io.edgeloop.packager.baseline.BaselineBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftMonitorTest {
    private static final int WIDTH = 64;

    /** An "image" whose brightness varies by class; the "model" is right 90% of the time. */
    private static float[] image(SplittableRandom r, int cls, float shift) {
        float[] x = new float[WIDTH];
        for (int i = 0; i < WIDTH; i++) {
            x[i] = (float) Math.min(1, Math.max(0, r.nextDouble() * (0.3 + cls * 0.05) + shift));
        }
        return x;
    }

    private static float[] probs(SplittableRandom r, int cls, double confidence) {
        float[] p = new float[3];
        int top = r.nextDouble() < 0.9 ? cls : (cls + 1) % 3;
        for (int i = 0; i < 3; i++) {
            p[i] = (float) (i == top ? confidence : (1 - confidence) / 2);
        }
        return p;
    }

    private static DriftBaseline baseline() {
        SplittableRandom r = new SplittableRandom(1);
        BaselineBuilder b = new BaselineBuilder(InputSummary.image(), List.of("a", "b", "c"), 10);
        for (int i = 0; i < 3000; i++) {
            int cls = i % 3;
            b.add(image(r, cls, 0), 0, WIDTH, probs(r, cls, 0.9), cls);
        }
        return b.build();
    }

    @Test
    void cleanStreamHasNoDriftAndShiftedStreamDrifts() {
        DriftBaseline baseline = baseline();
        List<DriftResult> reports = new ArrayList<>();
        DriftOptions options = new DriftOptions(500, 100, 0.01, 0.1, 0.2, 1000);
        DriftMonitor clean = new DriftMonitor("m", "1", baseline, options, reports::add);
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 500; i++) {
            clean.observe("c" + i, image(r, i % 3, 0), 0, WIDTH, probs(r, i % 3, 0.9), 0);
        }
        assertEquals(1, reports.size());
        DriftResult ok = reports.get(0);
        assertFalse(ok.drifted(), ok.reasons().toString());
        assertEquals(500, ok.samples());
        assertEquals(4, ok.features().size());
        assertEquals(0.01 / 4, ok.features().get(0).threshold(), 1e-12);
        assertEquals(baseline.outputs().accuracy(), ok.estimatedAccuracy(), 0.02);

        DriftMonitor shifted = new DriftMonitor("m", "1", baseline, options, reports::add);
        for (int i = 0; i < 500; i++) {
            // Brighter images, and the model unsure and biased to class 0.
            shifted.observe("s" + i, image(r, i % 3, 0.3f), 0, WIDTH, probs(r, 0, 0.6), 0);
        }
        DriftResult bad = reports.get(1);
        assertTrue(bad.drifted());
        assertTrue(bad.features().stream().anyMatch(FeatureDrift::drifted));
        assertTrue(bad.outputPsi() > 0.2, "output PSI " + bad.outputPsi());
        assertTrue(bad.estimatedAccuracy() < baseline.outputs().accuracy() - 0.2, "estimate " + bad.estimatedAccuracy());
    }

    @Test
    void feedbackGivesLiveAccuracy() {
        DriftMonitor monitor = new DriftMonitor("m", "1", baseline(), new DriftOptions(200, 10, 0.01, 0.1, 0.2, 100),
                result -> { });
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            float[] p = new float[]{0.8f, 0.1f, 0.1f};
            monitor.observe("id" + i, image(r, 0, 0), 0, WIDTH, p, 0);
        }
        for (int i = 0; i < 20; i++) {
            assertTrue(monitor.feedback("id" + i, i < 15 ? 0 : 1));
        }
        assertFalse(monitor.feedback("id0", 0), "each id is matched once");
        assertFalse(monitor.feedback("unknown", 0));
        DriftResult interim = monitor.current().orElseThrow();
        assertEquals(20, interim.labelled());
        assertEquals(0.75, interim.liveAccuracy(), 1e-9);
        assertTrue(monitor.flush().isPresent());
        assertEquals(0.75, monitor.last().orElseThrow().liveAccuracy(), 1e-9);
    }

    @Test
    void psiIsZeroForIdenticalDistributionsAndFiniteForEmptyBins() {
        assertEquals(0, DriftStatistics.psi(new double[]{0.5, 0.5}, new long[]{50, 50}), 1e-12);
        double psi = DriftStatistics.psi(new double[]{0.5, 0.5, 0}, new long[]{0, 50, 50});
        assertTrue(Double.isFinite(psi) && psi > 1, "psi " + psi);
    }
}
