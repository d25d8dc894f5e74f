package io.edgeloop.protocol.message;

/**
 * The label-free accuracy estimate of a drift window.
 *
 * @param value the estimate, in [0, 1]
 * @param low lower end of its 95 % interval, in [0, 1], or {@code null} when the method gives none
 * @param high upper end, in [0, 1], or {@code null}
 * @param method how it was computed (e.g. {@code atc-max-confidence}: the package's calibrated
 *     Average Thresholded Confidence)
 * @param outOfRange true when the inputs moved beyond what the estimator was calibrated on: treat
 *     the value as unreliable
 */
public record AccuracyEstimate(double value, Double low, Double high, String method, boolean outOfRange) {
    public AccuracyEstimate {
        FieldChecks.unit("value", value);
        FieldChecks.optionalUnit("low", low);
        FieldChecks.optionalUnit("high", high);
        FieldChecks.text("method", method);
    }
}
