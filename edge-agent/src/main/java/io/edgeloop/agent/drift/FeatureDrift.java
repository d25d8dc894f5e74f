package io.edgeloop.agent.drift;

/**
 * One input summary feature's drift over a window.
 *
 * @param threshold the Bonferroni-corrected significance level its KS p-value was tested at
 */
public record FeatureDrift(String name, double mean, double baselineMean, double psi, double ksStatistic,
                           double ksPValue, double threshold, boolean drifted) {
}
