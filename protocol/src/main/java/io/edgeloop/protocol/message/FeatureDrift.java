package io.edgeloop.protocol.message;

/**
 * Drift of one continuous signal in a window against the package's baseline: an input summary
 * feature or an output score (the top-1 margin).
 *
 * @param name feature name, as in the package's drift baseline
 * @param psi population stability index, {@code >= 0} (an effect size; it decides nothing)
 * @param ksStatistic two-sample Kolmogorov–Smirnov statistic, in [0, 1]
 * @param ksPValue its p-value, in [0, 1]
 * @param drifted whether {@code ksPValue} fell below {@code threshold}
 * @param source {@code input} or {@code output}; {@code null} from agents that sent inputs only
 * @param threshold the level {@code ksPValue} was tested at (the report's family-wise level over
 *     its number of tests), or {@code null} from older agents
 * @param mean the signal's mean in the window, or {@code null} from older agents
 * @param baselineMean its mean in the baseline, or {@code null} from older agents
 */
public record FeatureDrift(String name, double psi, double ksStatistic, double ksPValue, boolean drifted,
                           String source, Double threshold, Double mean, Double baselineMean) {
    public FeatureDrift {
        FieldChecks.text("name", name);
        FieldChecks.nonNegative("psi", psi);
        FieldChecks.unit("ksStatistic", ksStatistic);
        FieldChecks.unit("ksPValue", ksPValue);
        FieldChecks.optionalText("source", source);
        FieldChecks.optionalUnit("threshold", threshold);
    }

    /** An input feature's drift without the test's threshold and means (as older agents send it). */
    public FeatureDrift(String name, double psi, double ksStatistic, double ksPValue, boolean drifted) {
        this(name, psi, ksStatistic, ksPValue, drifted, null, null, null, null);
    }
}
