package io.edgeloop.packager.baseline;

import io.edgeloop.packageformat.baseline.AccuracyCalibration;

import java.util.Arrays;
import java.util.List;

/** Fits an {@link AccuracyCalibration} on labelled reference outputs (temperature, then the ATC threshold). */
final class AccuracyCalibrator {
    private static final double MIN_LOG_T = Math.log(0.05);
    private static final double MAX_LOG_T = Math.log(20);
    private static final int GOLDEN_STEPS = 60;

    private AccuracyCalibrator() {
    }

    /**
     * @param logProbabilities per sample, its log-probabilities
     * @param labels           per sample, its true class
     * @param predicted        per sample, its top-1 class
     */
    static AccuracyCalibration fit(List<double[]> logProbabilities, int[] labels, int[] predicted) {
        int n = labels.length;
        double temperature = Math.exp(goldenMinimum(logT -> meanNll(logProbabilities, labels, Math.exp(logT))));
        long correct = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] == predicted[i]) {
                correct++;
            }
        }
        double accuracy = (double) correct / n;
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = AccuracyCalibration.score(AccuracyCalibration.METHOD, logProbabilities.get(i), temperature);
        }
        Arrays.sort(scores);
        // The threshold leaves exactly `correct` reference samples strictly above it (ties aside).
        int below = n - (int) correct;
        double threshold = below == 0 ? Math.nextDown(scores[0])
                : below >= n ? scores[n - 1] : (scores[below - 1] + scores[below]) / 2;
        return new AccuracyCalibration(AccuracyCalibration.METHOD, temperature, threshold, accuracy, n);
    }

    private static double meanNll(List<double[]> z, int[] labels, double temperature) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum += nll(z.get(i), labels[i], temperature);
        }
        return sum / labels.length;
    }

    /** Golden-section search of a unimodal function on [MIN_LOG_T, MAX_LOG_T] (NLL is convex in 1/T). */
    private static double goldenMinimum(java.util.function.DoubleUnaryOperator f) {
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = MIN_LOG_T;
        double b = MAX_LOG_T;
        double c = b - ratio * (b - a);
        double d = a + ratio * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        for (int i = 0; i < GOLDEN_STEPS; i++) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }

    /** ln sum exp(z / T) - z[label] / T: the negative log-likelihood of the label at temperature T. */
    private static double nll(double[] z, int label, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v / temperature - max);
        }
        return max + Math.log(sum) - z[label] / temperature;
    }
}
