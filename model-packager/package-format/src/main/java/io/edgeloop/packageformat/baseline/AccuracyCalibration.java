package io.edgeloop.packageformat.baseline;

/**
 * The label-free accuracy estimator a package carries: Average Thresholded Confidence (Garg et
 * al., ICLR 2022) on a temperature-scaled score. At packaging time the temperature is fitted by
 * likelihood on the labelled reference data and the threshold is set so that the share of
 * reference samples scoring above it equals the reference accuracy; on the device the estimate
 * for a window is the share of its samples scoring above the same threshold. The score is the
 * temperature-scaled top-1 probability ({@value #METHOD}, what the packager fits: on the
 * Fashion-MNIST drift benchmark its error under shift was lower than negative entropy's) or the
 * negative entropy ({@value #NEGATIVE_ENTROPY}, also read).
 *
 * @param method      {@value #METHOD} or {@value #NEGATIVE_ENTROPY}
 * @param temperature the fitted softmax temperature ({@code > 0})
 * @param threshold   the ATC threshold on {@link #score}
 * @param accuracy    the reference accuracy the threshold reproduces
 * @param samples     labelled reference samples it was fitted on
 * @param correction  the covariate-shift correction fitted on synthetic corruptions; {@code null}
 *                    when the package has none (tabular models, older packages)
 */
public record AccuracyCalibration(String method, double temperature, double threshold, double accuracy, int samples,
                                  ShiftCorrection correction) {
    public static final String METHOD = "atc-max-confidence";
    public static final String NEGATIVE_ENTROPY = "atc-negative-entropy";

    public AccuracyCalibration {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, not " + temperature);
        }
    }

    /** A calibration without a shift correction. */
    public AccuracyCalibration(String method, double temperature, double threshold, double accuracy, int samples) {
        this(method, temperature, threshold, accuracy, samples, null);
    }

    /** This calibration with a shift correction. */
    public AccuracyCalibration withCorrection(ShiftCorrection newCorrection) {
        return new AccuracyCalibration(method, temperature, threshold, accuracy, samples, newCorrection);
    }

    /**
     * The temperature-scaled score of one sample, from its log-probabilities (see
     * {@link OutputScores#logProbabilities}); the higher, the more confident.
     */
    public double score(double[] logProbabilities) {
        return score(method, logProbabilities, temperature);
    }

    /** The score {@code method} gives a sample at {@code temperature} (shared with the packager's fitting). */
    public static double score(String method, double[] logProbabilities, double temperature) {
        return NEGATIVE_ENTROPY.equals(method) ? OutputScores.negativeEntropy(logProbabilities, temperature)
                : OutputScores.maxProbability(logProbabilities, temperature);
    }

    /** Whether a sample with this score counts as (expected) correct. */
    public boolean counts(double score) {
        return score > threshold;
    }
}
