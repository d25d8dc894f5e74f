package io.edgeloop.packager.baseline;

import io.edgeloop.packageformat.baseline.AccuracyCalibration;
import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.FeatureBaseline;
import io.edgeloop.packageformat.baseline.InputSummary;
import io.edgeloop.packageformat.baseline.OutputBaseline;
import io.edgeloop.packageformat.baseline.OutputScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Accumulates reference samples (inputs, model outputs and, when known, labels) and builds a
 * {@link DriftBaseline}. Feed it the model's softmax outputs on a labelled reference set.
 */
public final class BaselineBuilder {
    public static final int DEFAULT_BINS = 10;
    /** Reference values kept per feature for the device's two-sample tests: more is more power, and a larger manifest. */
    public static final int MAX_REFERENCE = 2000;
    /** Fewest labelled samples to fit the accuracy estimator on. */
    public static final int MIN_CALIBRATION = 100;
    private static final double[] CONFIDENCE_EDGES = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99};

    private final InputSummary summary;
    private final List<String> classes;
    private final int bins;
    private final List<double[]> features = new ArrayList<>();
    private final List<double[]> logProbabilities = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private final List<Integer> predicted = new ArrayList<>();
    private final long[] predictedCounts;
    private final long[] confidenceCounts = new long[CONFIDENCE_EDGES.length + 1];
    private double confidenceSum;
    private long labelled;
    private long correct;

    public BaselineBuilder(InputSummary summary, List<String> classes, int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("a baseline needs at least 2 bins, not " + bins);
        }
        this.summary = summary;
        this.classes = List.copyOf(classes);
        this.bins = bins;
        this.predictedCounts = new long[classes.size()];
    }

    /**
     * Adds one reference sample.
     *
     * @param input         the sample's values ({@code width} values from {@code offset})
     * @param probabilities the model's class probabilities for it
     * @param label         the true class, or -1 when unknown
     */
    public void add(float[] input, int offset, int width, float[] probabilities, int label) {
        features.add(summary.summarize(input, offset, width));
        int top = argmax(probabilities);
        predictedCounts[top]++;
        logProbabilities.add(OutputScores.logProbabilities(probabilities, 0, probabilities.length,
                new double[probabilities.length]));
        labels.add(label);
        predicted.add(top);
        double confidence = probabilities[top];
        confidenceSum += confidence;
        confidenceCounts[binOf(CONFIDENCE_EDGES, confidence)]++;
        if (label >= 0) {
            labelled++;
            if (label == top) {
                correct++;
            }
        }
    }

    public DriftBaseline build() {
        int n = features.size();
        if (n == 0) {
            throw new IllegalStateException("no reference samples were added");
        }
        List<FeatureBaseline> inputs = new ArrayList<>();
        for (int f = 0; f < summary.names().size(); f++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = features.get(i)[f];
            }
            inputs.add(feature(summary.names().get(f), column));
        }
        double[] margins = logProbabilities.stream().mapToDouble(OutputScores::margin).toArray();
        OutputBaseline outputs = new OutputBaseline(classes, fractions(predictedCounts, n), CONFIDENCE_EDGES.clone(),
                fractions(confidenceCounts, n), confidenceSum / n, labelled == 0 ? Double.NaN : (double) correct / labelled,
                null, null, feature("margin", margins), calibration());
        return new DriftBaseline(n, summary.isTabular(), inputs, outputs);
    }

    /** The accuracy estimator fitted on the labelled samples; null with too few labels. */
    private AccuracyCalibration calibration() {
        List<double[]> z = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        List<Integer> top = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) >= 0) {
                z.add(logProbabilities.get(i));
                y.add(labels.get(i));
                top.add(predicted.get(i));
            }
        }
        if (z.size() < MIN_CALIBRATION) {
            return null;
        }
        return AccuracyCalibrator.fit(z, y.stream().mapToInt(Integer::intValue).toArray(),
                top.stream().mapToInt(Integer::intValue).toArray());
    }

    private FeatureBaseline feature(String name, double[] column) {
        double[] sorted = column.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        double var = Arrays.stream(sorted).map(v -> (v - mean) * (v - mean)).sum() / sorted.length;
        double[] edges = quantileEdges(sorted);
        long[] counts = new long[edges.length + 1];
        for (double v : column) {
            counts[binOf(edges, v)]++;
        }
        return new FeatureBaseline(name, mean, Math.sqrt(var), edges, fractions(counts, column.length), subsample(sorted));
    }

    /** Distinct quantile cut points; ties collapse so a constant feature has one bin, not ten empty ones. */
    private double[] quantileEdges(double[] sorted) {
        double[] edges = new double[bins - 1];
        int count = 0;
        for (int b = 1; b < bins; b++) {
            double q = sorted[Math.min(sorted.length - 1, (int) Math.floor((double) b * sorted.length / bins))];
            if (count == 0 || q > edges[count - 1]) {
                edges[count++] = q;
            }
        }
        return Arrays.copyOf(edges, count);
    }

    private static double[] subsample(double[] sorted) {
        if (sorted.length <= MAX_REFERENCE) {
            return sorted;
        }
        // A seeded draw without replacement (so a package rebuilt from the same data has the same
        // baseline): a random sample keeps the two-sample tests' null distribution exact, and drawing
        // with replacement would add ties.
        double[] pool = sorted.clone();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < MAX_REFERENCE; i++) {
            int j = i + random.nextInt(pool.length - i);
            double t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        double[] out = Arrays.copyOf(pool, MAX_REFERENCE);
        Arrays.sort(out);
        return out;
    }

    static int binOf(double[] edges, double value) {
        int i = Arrays.binarySearch(edges, value);
        return i >= 0 ? i : -i - 1;
    }

    private static double[] fractions(long[] counts, long total) {
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = (double) counts[i] / total;
        }
        return out;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
