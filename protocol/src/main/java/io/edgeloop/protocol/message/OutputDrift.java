package io.edgeloop.protocol.message;

/**
 * Drift of the predicted-class distribution in a window against the package's baseline.
 *
 * @param psi population stability index of the class distribution, {@code >= 0}
 * @param chiSquarePValue p-value of the chi-square goodness-of-fit test, in [0, 1]
 * @param drifted whether the output crossed its threshold
 */
public record OutputDrift(double psi, double chiSquarePValue, boolean drifted) {
    public OutputDrift {
        FieldChecks.nonNegative("psi", psi);
        FieldChecks.unit("chiSquarePValue", chiSquarePValue);
    }
}
