package io.edgeloop.agent.drift;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

/**
 * When the drift monitor compares live traffic with the package baseline, and what counts as
 * drift ({@code drift} in {@code agent.yaml}).
 *
 * @param windowSize          samples per window; a report covers one full window
 * @param minSamples          fewest samples for an interim report on a partial window
 * @param alpha               family-wise false-alarm probability per window, split between the
 *                            signals' tests by weighted Bonferroni (half to the predicted classes,
 *                            the rest equally to the input features and the output margin), so a
 *                            clean window is reported drifted with probability at most
 *                            {@code alpha}, whatever its size
 * @param estimateShiftLimit  the accuracy estimate is flagged out of range when an input signal
 *                            drifted and its KS distance to the baseline exceeds this (the estimator
 *                            was calibrated on data like the reference; geometric shifts this large
 *                            leave the model confidently wrong, which no confidence-based estimate
 *                            can see); for packages without a shift correction only: one that
 *                            carries a correction flags by the range it was fitted on
 * @param feedbackCapacity    recent predictions remembered for ground-truth feedback by request id
 */
public record DriftOptions(int windowSize, int minSamples, double alpha, double estimateShiftLimit,
                           int feedbackCapacity) {
    public static final int DEFAULT_WINDOW_SIZE = 1000;
    public static final int DEFAULT_MIN_SAMPLES = 50;
    public static final double DEFAULT_ALPHA = 0.005;
    public static final double DEFAULT_ESTIMATE_SHIFT_LIMIT = 0.3;
    public static final int DEFAULT_FEEDBACK_CAPACITY = 20_000;

    public static final DriftOptions DEFAULT = new DriftOptions(DEFAULT_WINDOW_SIZE, DEFAULT_MIN_SAMPLES,
            DEFAULT_ALPHA, DEFAULT_ESTIMATE_SHIFT_LIMIT, DEFAULT_FEEDBACK_CAPACITY);

    public void validate(String section) throws EdgeLoopException {
        if (windowSize < 2 || minSamples < 2 || minSamples > windowSize) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".minSamples and " + section
                    + ".windowSize need 2 <= minSamples <= windowSize, not " + minSamples + " and " + windowSize);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".alpha must be in (0, 1), not " + alpha);
        }
        if (!(estimateShiftLimit > 0 && estimateShiftLimit <= 1)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".estimateShiftLimit must be in (0, 1], not "
                    + estimateShiftLimit);
        }
        if (feedbackCapacity < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".feedbackCapacity must not be negative, not "
                    + feedbackCapacity);
        }
    }

    public DriftOptions withWindowSize(int windowSize) {
        return new DriftOptions(windowSize, minSamples, alpha, estimateShiftLimit, feedbackCapacity);
    }

    public DriftOptions withMinSamples(int minSamples) {
        return new DriftOptions(windowSize, minSamples, alpha, estimateShiftLimit, feedbackCapacity);
    }

    public DriftOptions withAlpha(double alpha) {
        return new DriftOptions(windowSize, minSamples, alpha, estimateShiftLimit, feedbackCapacity);
    }

    public DriftOptions withEstimateShiftLimit(double estimateShiftLimit) {
        return new DriftOptions(windowSize, minSamples, alpha, estimateShiftLimit, feedbackCapacity);
    }

    public DriftOptions withFeedbackCapacity(int feedbackCapacity) {
        return new DriftOptions(windowSize, minSamples, alpha, estimateShiftLimit, feedbackCapacity);
    }
}
