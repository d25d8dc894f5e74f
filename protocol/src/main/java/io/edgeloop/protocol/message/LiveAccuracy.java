package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;

/**
 * Accuracy measured against labels that arrived for captured samples in the window.
 *
 * @param accuracy share of labelled samples predicted right, in [0, 1]
 * @param labelledCount how many samples had labels, {@code >= 1}
 * @param estimateError the window's label-free estimate minus {@code accuracy}, in [-1, 1], or
 *     {@code null} when there was no estimate (or from older agents)
 */
public record LiveAccuracy(double accuracy, long labelledCount, Double estimateError) {
    public LiveAccuracy {
        FieldChecks.unit("accuracy", accuracy);
        if (labelledCount < 1) {
            throw new InvalidFieldException("labelledCount", "must be >= 1, was " + labelledCount);
        }
        if (estimateError != null && !(Math.abs(estimateError) <= 1)) {
            throw new InvalidFieldException("estimateError", "must be in [-1, 1], was " + estimateError);
        }
    }

    /** Live accuracy without the estimate's error (as older agents send it). */
    public LiveAccuracy(double accuracy, long labelledCount) {
        this(accuracy, labelledCount, null);
    }
}
