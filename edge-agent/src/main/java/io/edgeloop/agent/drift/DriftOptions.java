package io.edgeloop.agent.drift;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

/**
 * When the drift monitor compares live traffic with the package baseline, and what counts as
 * drift ({@code drift} in {@code agent.yaml}).
 *
 * @param windowSize         samples per window; a report covers one full window
 * @param minSamples         fewest samples for an interim report on a partial window
 * @param ksAlpha            family-wise significance of the per-feature KS tests; each feature is
 *                           tested at {@code ksAlpha / features} (Bonferroni)
 * @param psiThreshold       a feature drifts when its KS test is significant and its PSI is at
 *                           least this (significant and large: big windows make tiny shifts
 *                           significant)
 * @param outputPsiThreshold the predicted-class distribution drifts when its PSI is at least this
 * @param feedbackCapacity   recent predictions remembered for ground-truth feedback by request id
 */
public record DriftOptions(int windowSize, int minSamples, double ksAlpha, double psiThreshold,
                           double outputPsiThreshold, int feedbackCapacity) {
    public static final int DEFAULT_WINDOW_SIZE = 1000;
    public static final int DEFAULT_MIN_SAMPLES = 100;
    public static final double DEFAULT_KS_ALPHA = 0.01;
    public static final double DEFAULT_PSI_THRESHOLD = 0.1;
    public static final double DEFAULT_OUTPUT_PSI_THRESHOLD = 0.2;
    public static final int DEFAULT_FEEDBACK_CAPACITY = 20_000;

    public static final DriftOptions DEFAULT = new DriftOptions(DEFAULT_WINDOW_SIZE, DEFAULT_MIN_SAMPLES,
            DEFAULT_KS_ALPHA, DEFAULT_PSI_THRESHOLD, DEFAULT_OUTPUT_PSI_THRESHOLD, DEFAULT_FEEDBACK_CAPACITY);

    public void validate(String section) throws EdgeLoopException {
        if (windowSize < 2 || minSamples < 2 || minSamples > windowSize) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".minSamples and " + section
                    + ".windowSize need 2 <= minSamples <= windowSize, not " + minSamples + " and " + windowSize);
        }
        if (!(ksAlpha > 0 && ksAlpha < 1)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".ksAlpha must be in (0, 1), not " + ksAlpha);
        }
        if (!(psiThreshold >= 0)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".psiThreshold must not be negative, not "
                    + psiThreshold);
        }
        if (!(outputPsiThreshold >= 0)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".outputPsiThreshold must not be negative, not "
                    + outputPsiThreshold);
        }
        if (feedbackCapacity < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".feedbackCapacity must not be negative, not "
                    + feedbackCapacity);
        }
    }

    public DriftOptions withWindowSize(int windowSize) {
        return new DriftOptions(windowSize, minSamples, ksAlpha, psiThreshold, outputPsiThreshold, feedbackCapacity);
    }

    public DriftOptions withMinSamples(int minSamples) {
        return new DriftOptions(windowSize, minSamples, ksAlpha, psiThreshold, outputPsiThreshold, feedbackCapacity);
    }

    public DriftOptions withKsAlpha(double ksAlpha) {
        return new DriftOptions(windowSize, minSamples, ksAlpha, psiThreshold, outputPsiThreshold, feedbackCapacity);
    }

    public DriftOptions withPsiThreshold(double psiThreshold) {
        return new DriftOptions(windowSize, minSamples, ksAlpha, psiThreshold, outputPsiThreshold, feedbackCapacity);
    }

    public DriftOptions withOutputPsiThreshold(double outputPsiThreshold) {
        return new DriftOptions(windowSize, minSamples, ksAlpha, psiThreshold, outputPsiThreshold, feedbackCapacity);
    }

    public DriftOptions withFeedbackCapacity(int feedbackCapacity) {
        return new DriftOptions(windowSize, minSamples, ksAlpha, psiThreshold, outputPsiThreshold, feedbackCapacity);
    }
}
