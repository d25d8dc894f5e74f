package io.edgeloop.agent.drift;

import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.FeatureBaseline;
import io.edgeloop.packageformat.baseline.OutputBaseline;

import java.util.ArrayList;
import java.util.List;

/** The samples of one window, and their comparison with the baseline. Not thread-safe. */
public final class DriftWindow {
    private final DriftBaseline baseline;
    private final DriftOptions options;
    private final double[][] features;
    private final long[] predicted;
    private final long startMillis = System.currentTimeMillis();
    private double confidenceSum;
    private int count;
    private long labelled;
    private long correct;

    public DriftWindow(DriftBaseline baseline, DriftOptions options) {
        this.baseline = baseline;
        this.options = options;
        this.features = new double[baseline.inputs().size()][options.windowSize()];
        this.predicted = new long[baseline.outputs().classes().size()];
    }

    public boolean full() {
        return count >= options.windowSize();
    }

    public int count() {
        return count;
    }

    /** Adds one sample's summary features and its top-1 class and confidence. */
    public void add(double[] summary, int topClass, double confidence) {
        if (full()) {
            throw new IllegalStateException("window is full");
        }
        for (int f = 0; f < features.length; f++) {
            features[f][count] = summary[f];
        }
        if (topClass >= 0 && topClass < predicted.length) {
            predicted[topClass]++;
        }
        confidenceSum += confidence;
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
        List<FeatureDrift> out = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        double threshold = options.ksAlpha() / Math.max(1, features.length);
        for (int f = 0; f < features.length; f++) {
            FeatureBaseline ref = baseline.inputs().get(f);
            double[] sample = java.util.Arrays.copyOf(features[f], count);
            long[] bins = new long[ref.fractions().length];
            double sum = 0;
            for (double v : sample) {
                bins[ref.bin(v)]++;
                sum += v;
            }
            double psi = DriftStatistics.psi(ref.fractions(), bins);
            double[] ks = ref.reference().length > 0 && count > 0 ? DriftStatistics.ks(sample, ref.reference())
                    : new double[]{0, 1};
            boolean drifted = ks[1] < threshold && psi >= options.psiThreshold();
            if (drifted) {
                reasons.add(String.format("input %s: PSI %.3f, KS p=%.2g < %.2g", ref.name(), psi, ks[1], threshold));
            }
            out.add(new FeatureDrift(ref.name(), count == 0 ? Double.NaN : sum / count, ref.mean(), psi, ks[0], ks[1],
                    threshold, drifted));
        }
        OutputBaseline outputs = baseline.outputs();
        double outputPsi = DriftStatistics.psi(outputs.classFractions(), predicted);
        double chiSquareP = DriftStatistics.chiSquarePValue(outputs.classFractions(), predicted);
        if (outputPsi >= options.outputPsiThreshold()) {
            reasons.add(String.format("predicted classes: PSI %.3f >= %.3f", outputPsi, options.outputPsiThreshold()));
        }
        double[] fractions = new double[predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            fractions[i] = count == 0 ? 0 : (double) predicted[i] / count;
        }
        double meanConfidence = count == 0 ? Double.NaN : confidenceSum / count;
        double estimated = outputs.accuracy() + (meanConfidence - outputs.meanConfidence());
        double live = labelled == 0 ? Double.NaN : (double) correct / labelled;
        return new DriftResult(model, version, index, startMillis, System.currentTimeMillis(), count, out, fractions,
                outputPsi, chiSquareP, meanConfidence,
                outputs.meanConfidence(), estimated, outputs.accuracy(), labelled, live, !reasons.isEmpty(), reasons);
    }
}
