package io.edgeloop.agent.drift;

import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.InputSummary;
import io.edgeloop.packager.baseline.BaselineBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;

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

    /** Right 90 % of the time, with a confidence jittered around {@code confidence}. */
    private static float[] probs(SplittableRandom r, int cls, double confidence) {
        float[] p = new float[3];
        int top = r.nextDouble() < 0.9 ? cls : (cls + 1) % 3;
        double c = Math.min(0.99, Math.max(0.4, confidence + (r.nextDouble() - 0.5) * 0.2));
        for (int i = 0; i < 3; i++) {
            p[i] = (float) (i == top ? c : (1 - c) / 2);
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
        DriftOptions options = new DriftOptions(500, 100, 0.01, 0.3, 1000);
        DriftMonitor clean = new DriftMonitor("m", "1", baseline, options, reports::add);
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 500; i++) {
            clean.observe("c" + i, image(r, i % 3, 0), 0, WIDTH, probs(r, i % 3, 0.9), 0);
        }
        assertEquals(1, reports.size());
        DriftResult ok = reports.get(0);
        assertFalse(ok.drifted(), ok.reasons().toString());
        assertEquals(500, ok.samples());
        // 8 image features and the output margin by KS, the predicted classes by chi-square.
        assertEquals(9, ok.features().size());
        assertEquals(10, ok.tests());
        // Weighted Bonferroni: half of alpha to the class test, the rest shared by the 9 KS tests.
        assertEquals(0.005 / 9, ok.features().get(0).threshold(), 1e-12);
        assertEquals(0.005, ok.outputThreshold(), 1e-12);
        assertEquals(baseline.outputs().accuracy(), ok.estimatedAccuracy(), 0.05);
        assertTrue(ok.estimateLow() < ok.estimatedAccuracy() && ok.estimatedAccuracy() < ok.estimateHigh());
        assertEquals("atc-max-confidence", ok.estimateMethod());
        assertFalse(ok.estimateOutOfRange());
        assertTrue(ok.summary().startsWith("No drift in 500 samples"), ok.summary());
        assertEquals(3, ok.classes().size());

        DriftMonitor shifted = new DriftMonitor("m", "1", baseline, options, reports::add);
        for (int i = 0; i < 500; i++) {
            // Brighter images, and the model unsure and biased to class 0.
            shifted.observe("s" + i, image(r, i % 3, 0.3f), 0, WIDTH, probs(r, 0, 0.6), 0);
        }
        DriftResult bad = reports.get(1);
        assertTrue(bad.drifted());
        assertTrue(bad.features().stream().anyMatch(FeatureDrift::drifted));
        assertTrue(bad.outputPsi() > 0.2, "output PSI " + bad.outputPsi());
        assertTrue(bad.outputDrifted());
        assertTrue(bad.summary().startsWith("Drift in 500 samples: "), bad.summary());
        assertTrue(bad.summary().contains("mean up"), bad.summary());
        assertTrue(bad.summary().contains("class mix ('a' predicted"), bad.summary());
        assertTrue(bad.reasons().stream().anyMatch(s -> s.startsWith("predicted classes: chi-square")), bad.reasons().toString());
        assertTrue(bad.estimatedAccuracy() < baseline.outputs().accuracy() - 0.2, "estimate " + bad.estimatedAccuracy());
    }

    @Test
    void feedbackGivesLiveAccuracy() {
        DriftMonitor monitor = new DriftMonitor("m", "1", baseline(), new DriftOptions(200, 10, 0.01, 0.3, 100),
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
    void cleanWindowsRarelyAlarmFromFiftyToFiveThousand() {
        DriftBaseline baseline = baseline();
        int[][] plan = {{50, 200}, {1000, 40}, {5000, 20}};
        for (int[] p : plan) {
            int size = p[0];
            int windows = p[1];
            List<DriftResult> reports = new ArrayList<>();
            DriftMonitor monitor = new DriftMonitor("m", "1", baseline, new DriftOptions(size, 10, 0.01, 0.3, 0),
                    reports::add);
            SplittableRandom r = new SplittableRandom(size);
            for (int i = 0; i < windows * size; i++) {
                int cls = r.nextInt(3);
                monitor.observe(null, image(r, cls, 0), 0, WIDTH, probs(r, cls, 0.9), 0);
            }
            assertEquals(windows, reports.size());
            long alarms = reports.stream().filter(DriftResult::drifted).count();
            // Family-wise alpha 0.01: 5 alarms in 200 clean windows, or 2 in 40, would each be a 1-in-20 event.
            assertTrue(alarms <= (windows >= 200 ? 4 : 1), alarms + " false alarms in " + windows + " windows of " + size);
        }
    }

    @Test
    void classCountsAreTestedWithSmallCountHandling() {
        long[] reference = {1000, 1000, 1000, 10};
        // 30 samples: expected counts under 5, so a Monte Carlo p-value; a matching window is not significant.
        DriftStatistics.Test same = DriftStatistics.classHomogeneity(reference, new long[]{10, 10, 10, 0});
        assertTrue(same.pValue() > 0.5, "p " + same.pValue());
        DriftStatistics.Test skewed = DriftStatistics.classHomogeneity(reference, new long[]{28, 1, 1, 0});
        assertTrue(skewed.pValue() < 1e-3, "p " + skewed.pValue());
        // Large counts: the chi-square distribution itself.
        DriftStatistics.Test large = DriftStatistics.classHomogeneity(reference, new long[]{500, 250, 250, 4});
        assertTrue(large.pValue() < 1e-3 && large.statistic() > 20, "p " + large.pValue());
        assertEquals(1, DriftStatistics.classHomogeneity(new long[]{5, 5}, new long[]{0, 0}).pValue());
    }

    @Test
    void cachedKsAgainstASortedReferenceEqualsTheLibraryTest() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[]{2000, 333}) {
            for (int m : new int[]{50, 100, 77, 500}) {
                for (int trial = 0; trial < 60; trial++) {
                    // Ties on purpose (a discrete feature such as ink fraction), and shifted samples.
                    boolean discrete = trial % 2 == 0;
                    double shift = trial % 3 == 0 ? 0.3 : 0;
                    double[] reference = new double[n];
                    for (int i = 0; i < n; i++) {
                        reference[i] = discrete ? r.nextInt(12) : r.nextGaussian();
                    }
                    java.util.Arrays.sort(reference);
                    double[] sample = new double[m];
                    for (int i = 0; i < m; i++) {
                        sample[i] = (discrete ? r.nextInt(12) : r.nextGaussian()) + (discrete ? Math.round(shift * 3) : shift);
                    }
                    for (int again = 0; again < 2; again++) {
                        DriftStatistics.Test direct = DriftStatistics.ks(sample, reference);
                        DriftStatistics.Test fast = DriftStatistics.ksSorted(sample, reference);
                        assertEquals(direct.statistic(), fast.statistic(), 1e-12, m + " vs " + n);
                        assertEquals(direct.pValue(), fast.pValue(), 1e-15 + 1e-12 * direct.pValue(), m + " vs " + n);
                    }
                }
            }
        }
    }

    @Test
    void boundedRandomIntegersAreUniform() {
        SplittableRandom r = new SplittableRandom(3);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[DriftStatistics.below(r, 7)]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 10_000) < 500, java.util.Arrays.toString(counts));
        }
        assertEquals(0, DriftStatistics.below(r, 1));
    }

    @Test
    void aShiftCorrectionMovesTheEstimateByTheNearestResidualsAndFlagsUnseenShifts() {
        DriftBaseline plain = baseline();
        List<String> signals = new ArrayList<>(plain.inputs().stream().map(f -> f.name()).toList());
        signals.add(plain.outputs().margin().name());
        double[] zero = new double[2 * signals.size()];
        double[] far = new double[2 * signals.size()];
        java.util.Arrays.fill(far, 50);
        DoubleFunction<DriftResult> window = radius -> {
            io.edgeloop.packageformat.baseline.ShiftCorrection correction = new io.edgeloop.packageformat.baseline.ShiftCorrection(
                    signals, new double[][]{zero, far}, new double[]{-0.2, -0.5}, 1, radius);
            DriftBaseline corrected = plain.withOutputs(plain.outputs().withCalibration(
                    plain.outputs().calibration().withCorrection(correction)));
            List<DriftResult> reports = new ArrayList<>();
            DriftMonitor monitor = new DriftMonitor("m", "1", corrected, new DriftOptions(500, 100, 0.01, 0.3, 0), reports::add);
            SplittableRandom r = new SplittableRandom(2);
            for (int i = 0; i < 500; i++) {
                monitor.observe(null, image(r, i % 3, 0), 0, WIDTH, probs(r, i % 3, 0.9), 0);
            }
            return reports.get(0);
        };
        // Reference-like window: nearest is the clean signature, whose residual -0.2 is applied.
        DriftResult near = window.apply(10);
        List<DriftResult> uncorrected = new ArrayList<>();
        DriftMonitor plainMonitor = new DriftMonitor("m", "1", plain, new DriftOptions(500, 100, 0.01, 0.3, 0), uncorrected::add);
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 500; i++) {
            plainMonitor.observe(null, image(r, i % 3, 0), 0, WIDTH, probs(r, i % 3, 0.9), 0);
        }
        assertEquals(uncorrected.get(0).estimatedAccuracy() - 0.2, near.estimatedAccuracy(), 1e-9);
        assertTrue(near.estimateMethod().endsWith("+shift-correction"), near.estimateMethod());
        assertFalse(near.estimateOutOfRange());
        // A radius the window's sampling noise already exceeds: out of range.
        assertTrue(window.apply(1e-6).estimateOutOfRange());
    }

    @Test
    void wilsonIntervalCoversTheProportion() {
        double[] w = DriftStatistics.wilson(45, 50);
        assertTrue(w[0] < 0.9 && 0.9 < w[1] && w[0] > 0.75 && w[1] < 0.97, w[0] + " " + w[1]);
        assertEquals(1, DriftStatistics.wilson(50, 50)[1], 1e-12);
    }

    @Test
    void psiIsZeroForIdenticalDistributionsAndFiniteForEmptyBins() {
        assertEquals(0, DriftStatistics.psi(new double[]{0.5, 0.5}, new long[]{50, 50}), 1e-12);
        double psi = DriftStatistics.psi(new double[]{0.5, 0.5, 0}, new long[]{0, 50, 50});
        assertTrue(Double.isFinite(psi) && psi > 1, "psi " + psi);
    }
}
