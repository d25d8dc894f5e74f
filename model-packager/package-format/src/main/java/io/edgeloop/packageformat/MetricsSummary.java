package io.edgeloop.packageformat;

/**
 * What the variants' metrics were measured on, and which variant the packager recommends where
 * a device cannot measure for itself.
 *
 * @param dataset            name of the evaluation dataset (e.g. {@code fashion-mnist:test[0:2000]})
 * @param samples            number of evaluated samples
 * @param recommendedVariant id of the variant with the best speed at equal accuracy on the packaging host
 */
public record MetricsSummary(String dataset, int samples, String recommendedVariant) {
}
