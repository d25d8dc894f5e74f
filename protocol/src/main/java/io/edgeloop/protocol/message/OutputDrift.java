package io.edgeloop.protocol.message;

import java.util.List;

/**
 * Drift of the predicted-class distribution in a window against the package's baseline.
 *
 * @param psi population stability index of the class distribution, {@code >= 0}
 * @param chiSquarePValue p-value of the chi-square test of the class counts, in [0, 1]
 * @param drifted whether the p-value fell below {@code threshold}
 * @param chiSquare the chi-square statistic, or {@code null} from older agents
 * @param threshold the level the p-value was tested at, or {@code null} from older agents
 * @param classes per class, observed and expected predicted counts; empty from older agents
 */
public record OutputDrift(double psi, double chiSquarePValue, boolean drifted, Double chiSquare, Double threshold,
                          List<ClassCount> classes) {
    public OutputDrift {
        FieldChecks.nonNegative("psi", psi);
        FieldChecks.unit("chiSquarePValue", chiSquarePValue);
        FieldChecks.optionalUnit("threshold", threshold);
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** Output drift without the statistic, threshold and class counts (as older agents send it). */
    public OutputDrift(double psi, double chiSquarePValue, boolean drifted) {
        this(psi, chiSquarePValue, drifted, null, null, List.of());
    }
}
