package io.edgeloop.agent.drift;

/**
 * One continuous signal's drift over a window: an input summary feature or an output score.
 *
 * @param source      {@code input} or {@code output}
 * @param psi         population stability index against the baseline's bins (an effect size; it
 *                    decides nothing)
 * @param ksStatistic two-sample Kolmogorov-Smirnov distance to the baseline's reference sample
 * @param ksPValue    its p-value
 * @param threshold   the Bonferroni-corrected level the p-value was tested at
 */
public record FeatureDrift(String name, String source, double mean, double baselineMean, double psi,
                           double ksStatistic, double ksPValue, double threshold, boolean drifted) {
}
