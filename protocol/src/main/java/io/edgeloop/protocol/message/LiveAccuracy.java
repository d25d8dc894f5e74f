package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;

/**
 * Accuracy measured against labels that arrived for captured samples in the window.
 *
 * @param accuracy share of labelled samples predicted right, in [0, 1]
 * @param labelledCount how many samples had labels, {@code >= 1}
 */
public record LiveAccuracy(double accuracy, long labelledCount) {
    public LiveAccuracy {
        FieldChecks.unit("accuracy", accuracy);
        if (labelledCount < 1) {
            throw new InvalidFieldException("labelledCount", "must be >= 1, was " + labelledCount);
        }
    }
}
