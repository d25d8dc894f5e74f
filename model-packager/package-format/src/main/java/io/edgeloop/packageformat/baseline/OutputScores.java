package io.edgeloop.packageformat.baseline;

/**
 * Per-sample scores of a classifier's output, computed the same way at packaging time and on the
 * device: log-probabilities from probabilities, the top-1 minus top-2 margin, and the
 * temperature-scaled negative entropy the accuracy estimator thresholds.
 */
public final class OutputScores {
    /** Probabilities below this count as this (float softmax underflows to 0 for large logit gaps). */
    static final double FLOOR = 1e-30;
    private static final double LOG_FLOOR = Math.log(FLOOR);

    private OutputScores() {
    }

    /** {@code out[k] = ln max(p[k], 1e-30)} for the {@code classes} probabilities at {@code offset}. */
    public static double[] logProbabilities(float[] probabilities, int offset, int classes, double[] out) {
        for (int k = 0; k < classes; k++) {
            float p = probabilities[offset + k];
            out[k] = p > FLOOR ? Math.log(p) : LOG_FLOOR;
        }
        return out;
    }

    /** Top-1 minus top-2 log-probability (the logit margin): small for uncertain answers. */
    public static double margin(double[] logProbabilities) {
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (double v : logProbabilities) {
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return logProbabilities.length < 2 ? 0 : first - second;
    }

    /** Sum of q ln q for q = softmax(z / temperature): 0 for a certain answer, -ln K for a uniform one. */
    public static double negativeEntropy(double[] z, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        double weighted = 0;
        for (double v : z) {
            double s = v / temperature - max;
            double e = Math.exp(s);
            sum += e;
            weighted += e * s;
        }
        return weighted / sum - Math.log(sum);
    }

    /** The largest of softmax(z / temperature). */
    public static double maxProbability(double[] z, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v / temperature - max);
        }
        return 1 / sum;
    }
}
