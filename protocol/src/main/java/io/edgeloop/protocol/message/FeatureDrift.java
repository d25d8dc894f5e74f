package io.edgeloop.protocol.message;

/**
 * Drift of one input summary feature in a window against the package's baseline.
 *
 * @param name feature name, as in the package's drift baseline
 * @param psi population stability index, {@code >= 0}
 * @param ksStatistic two-sample Kolmogorov–Smirnov statistic, in [0, 1]
 * @param ksPValue its p-value, in [0, 1]
 * @param drifted whether this feature crossed its threshold (PSI or the corrected alpha)
 */
public record FeatureDrift(String name, double psi, double ksStatistic, double ksPValue, boolean drifted) {
    public FeatureDrift {
        FieldChecks.text("name", name);
        FieldChecks.nonNegative("psi", psi);
        FieldChecks.unit("ksStatistic", ksStatistic);
        FieldChecks.unit("ksPValue", ksPValue);
    }
}
