package io.edgeloop.agent.drift;

import io.edgeloop.packageformat.baseline.AccuracyCalibration;
import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.FeatureBaseline;
import io.edgeloop.packageformat.baseline.OutputBaseline;
import io.edgeloop.packageformat.baseline.ShiftCorrection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The samples of one window, and their comparison with the baseline. The signals are the input
 * features and the output margin (two-sample KS each) and the predicted classes (a homogeneity
 * test). The family-wise level {@code alpha} is split between them by weighted Bonferroni: the
 * class test gets {@link #CLASS_SHARE} of it (a class-mix shift has no other witness), the KS tests
 * share the rest equally. The per-test levels sum to {@code alpha}, so the window's false-alarm
 * rate is at most {@code alpha} under any dependence between the signals. Not thread-safe.
 */
public final class DriftWindow {
    /** Share of the family-wise level given to the predicted-class test. */
    static final double CLASS_SHARE = 0.5;

    private final DriftBaseline baseline;
    private final DriftOptions options;
    private final boolean referencesAscend;
    private final double[][] features;
    private final double[] margins;
    private final long[] predicted;
    private final long startMillis = System.currentTimeMillis();
    private double confidenceSum;
    private long countedCorrect;
    private int count;
    private long labelled;
    private long correct;

    public DriftWindow(DriftBaseline baseline, DriftOptions options) {
        this(baseline, options, referencesAscend(baseline));
    }

    /**
     * A window whose caller already knows whether the baseline's reference samples ascend (the
     * monitor checks once, not per window): then each KS test skips sorting them.
     */
    DriftWindow(DriftBaseline baseline, DriftOptions options, boolean referencesAscend) {
        this.referencesAscend = referencesAscend;
        this.baseline = baseline;
        this.options = options;
        this.features = new double[baseline.inputs().size()][options.windowSize()];
        this.margins = new double[options.windowSize()];
        this.predicted = new long[baseline.outputs().classes().size()];
    }

    /** Whether every reference sample of the baseline (inputs and margin) ascends, as packages write them. */
    static boolean referencesAscend(DriftBaseline baseline) {
        for (FeatureBaseline f : baseline.inputs()) {
            if (!DriftStatistics.ascending(f.reference())) {
                return false;
            }
        }
        FeatureBaseline margin = baseline.outputs().margin();
        return margin == null || DriftStatistics.ascending(margin.reference());
    }

    public boolean full() {
        return count >= options.windowSize();
    }

    public int count() {
        return count;
    }

    /**
     * Adds one sample: its summary features, top-1 class and confidence, output margin, and
     * whether the accuracy estimator counts it as correct.
     */
    public void add(double[] summary, int topClass, double confidence, double margin, boolean expectedCorrect) {
        if (full()) {
            throw new IllegalStateException("window is full");
        }
        for (int f = 0; f < features.length; f++) {
            features[f][count] = summary[f];
        }
        margins[count] = margin;
        if (topClass >= 0 && topClass < predicted.length) {
            predicted[topClass]++;
        }
        confidenceSum += confidence;
        if (expectedCorrect) {
            countedCorrect++;
        }
        count++;
    }

    /** Ground truth for a prediction made in this window. */
    public void label(boolean wasCorrect) {
        labelled++;
        if (wasCorrect) {
            correct++;
        }
    }

    public DriftResult compare(String model, String version, long index) {
        OutputBaseline outputs = baseline.outputs();
        FeatureBaseline marginBaseline = outputs.margin();
        boolean testClasses = predicted.length >= 2;
        int continuous = features.length + (marginBaseline != null ? 1 : 0);
        int tests = continuous + (testClasses ? 1 : 0);
        double classThreshold = testClasses ? (continuous == 0 ? options.alpha() : options.alpha() * CLASS_SHARE) : 0;
        double threshold = (options.alpha() - classThreshold) / Math.max(1, continuous);
        List<FeatureDrift> signals = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        double largestInputShift = 0;
        for (int f = 0; f < features.length; f++) {
            FeatureDrift d = signal(baseline.inputs().get(f), "input", features[f], threshold, reasons);
            if (d.drifted()) {
                largestInputShift = Math.max(largestInputShift, d.ksStatistic());
            }
            signals.add(d);
        }
        if (marginBaseline != null) {
            signals.add(signal(marginBaseline, "output", margins, threshold, reasons));
        }

        long[] reference = new long[predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            reference[i] = Math.round(outputs.classFractions()[i] * baseline.samples());
        }
        DriftStatistics.Test classTest = testClasses ? DriftStatistics.classHomogeneity(reference, predicted)
                : new DriftStatistics.Test(0, 1);
        boolean outputDrifted = classTest.pValue() < classThreshold;
        List<ClassCount> classes = new ArrayList<>();
        double[] fractions = new double[predicted.length];
        int mostOver = 0;
        double mostOverResidual = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < predicted.length; i++) {
            double expected = outputs.classFractions()[i] * count;
            classes.add(new ClassCount(outputs.classes().get(i), predicted[i], expected));
            fractions[i] = (double) predicted[i] / count;
            double residual = (predicted[i] - expected) / Math.sqrt(Math.max(expected, 0.5));
            if (residual > mostOverResidual) {
                mostOverResidual = residual;
                mostOver = i;
            }
        }
        double outputPsi = DriftStatistics.psi(outputs.classFractions(), predicted);
        if (outputDrifted) {
            reasons.add(String.format(Locale.ROOT, "predicted classes: chi-square %.1f, p=%.2g < %.2g; most over"
                            + " expected: '%s' %d vs %.1f (PSI %.3f)", classTest.statistic(), classTest.pValue(), classThreshold,
                    outputs.classes().get(mostOver), predicted[mostOver], classes.get(mostOver).expected(), outputPsi));
        }

        double meanConfidence = confidenceSum / count;
        AccuracyCalibration calibration = outputs.calibration();
        double estimate;
        double low = Double.NaN;
        double high = Double.NaN;
        String method;
        boolean outOfRange = largestInputShift > options.estimateShiftLimit();
        if (calibration != null) {
            estimate = (double) countedCorrect / count;
            double[] interval = DriftStatistics.wilson(countedCorrect, count);
            low = interval[0];
            high = interval[1];
            method = calibration.method();
            ShiftCorrection correction = calibration.correction();
            double[] signature = correction == null ? null : signature(correction);
            if (signature != null) {
                // The residual the nearest calibrated corruptions left, and their disagreement on it.
                ShiftCorrection.Correction c = correction.at(signature);
                estimate = clamp(estimate + c.residual());
                low = clamp(low + c.residual() - c.spread());
                high = clamp(high + c.residual() + c.spread());
                method = method + "+shift-correction";
                outOfRange = c.outOfRange();
            }
        } else {
            estimate = outputs.accuracy() + (meanConfidence - outputs.meanConfidence());
            method = "confidence-shift";
        }
        double live = labelled == 0 ? Double.NaN : (double) correct / labelled;
        double error = labelled == 0 ? Double.NaN : estimate - live;
        boolean drifted = !reasons.isEmpty();
        String summary = summary(signals, drifted, outputDrifted, outputs.classes().get(mostOver), predicted[mostOver],
                classes.get(mostOver).expected(), estimate, low, high, outputs.accuracy(), outOfRange, tests);
        return new DriftResult(model, version, index, startMillis, System.currentTimeMillis(), count, signals, fractions,
                classes, outputPsi, classTest.statistic(), classTest.pValue(), classThreshold, outputDrifted, meanConfidence,
                outputs.meanConfidence(), estimate, low, high, method, outOfRange, outputs.accuracy(), labelled, live,
                error, options.alpha(), tests, drifted, reasons, summary);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /**
     * The window's shift signature in the correction's signal order (see {@link ShiftCorrection}):
     * per signal its mean shift, then per signal its spread shift; null when the correction names
     * a signal this window lacks.
     */
    private double[] signature(ShiftCorrection correction) {
        int k = correction.signals().size();
        double[] out = new double[2 * k];
        for (int i = 0; i < k; i++) {
            String name = correction.signals().get(i);
            FeatureBaseline ref = null;
            double[] values = null;
            for (int f = 0; f < features.length; f++) {
                if (baseline.inputs().get(f).name().equals(name)) {
                    ref = baseline.inputs().get(f);
                    values = features[f];
                }
            }
            if (ref == null && baseline.outputs().margin() != null && baseline.outputs().margin().name().equals(name)) {
                ref = baseline.outputs().margin();
                values = margins;
            }
            if (ref == null) {
                return null;
            }
            double sum = 0;
            double squares = 0;
            for (int j = 0; j < count; j++) {
                sum += values[j];
                squares += values[j] * values[j];
            }
            double mean = sum / count;
            out[i] = ShiftCorrection.meanShift(mean, ref);
            out[k + i] = ShiftCorrection.spreadShift(Math.sqrt(Math.max(0, squares / count - mean * mean)), ref);
        }
        return out;
    }

    private FeatureDrift signal(FeatureBaseline ref, String source, double[] values, double threshold,
                                List<String> reasons) {
        double[] sample = Arrays.copyOf(values, count);
        long[] bins = new long[ref.fractions().length];
        double sum = 0;
        for (double v : sample) {
            bins[ref.bin(v)]++;
            sum += v;
        }
        double psi = DriftStatistics.psi(ref.fractions(), bins);
        DriftStatistics.Test ks = ref.reference().length == 0 ? new DriftStatistics.Test(0, 1)
                : referencesAscend ? DriftStatistics.ksSorted(sample, ref.reference())
                : DriftStatistics.ks(sample, ref.reference());
        boolean drifted = ks.pValue() < threshold;
        double mean = sum / count;
        if (drifted) {
            reasons.add(String.format(Locale.ROOT, "%s %s: KS D %.3f, p=%.2g < %.2g; mean %.4g vs %.4g (PSI %.3f)",
                    source, ref.name(), ks.statistic(), ks.pValue(), threshold, mean, ref.mean(), psi));
        }
        return new FeatureDrift(ref.name(), source, mean, ref.mean(), psi, ks.statistic(), ks.pValue(), threshold, drifted);
    }

    private String summary(List<FeatureDrift> signals, boolean drifted, boolean outputDrifted, String overClass,
                           long overObserved, double overExpected, double estimate, double low, double high,
                           double baselineAccuracy, boolean outOfRange, int tests) {
        StringBuilder s = new StringBuilder();
        if (!drifted) {
            s.append(String.format(Locale.ROOT, "No drift in %d samples: all %d signals within their thresholds"
                    + " (family-wise alpha %.3g)", count, tests, options.alpha()));
        } else {
            List<String> moved = new ArrayList<>();
            signals.stream().filter(FeatureDrift::drifted)
                    .sorted((a, b) -> Double.compare(b.ksStatistic(), a.ksStatistic()))
                    .forEach(f -> moved.add(String.format(Locale.ROOT, "%s %s (%.3g vs %.3g)", f.name(),
                            f.mean() >= f.baselineMean() ? "up" : "down", f.mean(), f.baselineMean())));
            if (outputDrifted) {
                moved.add(String.format(Locale.ROOT, "class mix ('%s' predicted %d times vs %.1f expected)",
                        overClass, overObserved, overExpected));
            }
            s.append(String.format(Locale.ROOT, "Drift in %d samples: %s", count, String.join(", ", moved)));
        }
        if (Double.isFinite(estimate)) {
            s.append(String.format(Locale.ROOT, "; estimated accuracy %.3f", estimate));
            if (Double.isFinite(low)) {
                s.append(String.format(Locale.ROOT, " [%.3f, %.3f]", low, high));
            }
            if (Double.isFinite(baselineAccuracy)) {
                s.append(String.format(Locale.ROOT, " vs %.3f at packaging", baselineAccuracy));
            }
            if (outOfRange) {
                s.append(" (out of range: the inputs moved beyond what the estimate was calibrated on)");
            }
        }
        return s.append('.').toString();
    }
}
