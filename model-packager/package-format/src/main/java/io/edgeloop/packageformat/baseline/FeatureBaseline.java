package io.edgeloop.packageformat.baseline;

import java.util.Arrays;

/**
 * The reference distribution of one summary feature: quantile bin edges with the fraction of
 * reference samples in each bin (for PSI), and a bounded, sorted reference sample (for the
 * two-sample KS test).
 *
 * @param edges     interior bin edges, ascending; bin i holds values in (edges[i-1], edges[i]]
 * @param fractions fraction of reference samples per bin; {@code edges.length + 1} entries
 * @param reference sorted reference values (at most {@link BaselineBuilder#MAX_REFERENCE})
 */
public record FeatureBaseline(String name, double mean, double std, double[] edges, double[] fractions,
                              double[] reference) {

    public FeatureBaseline {
        if (fractions.length != edges.length + 1) {
            throw new IllegalArgumentException(name + ": " + fractions.length + " bin fractions for "
                    + edges.length + " edges");
        }
    }

    /** The bin a value falls in, the same rule at packaging time and on the device. */
    public int bin(double value) {
        int i = Arrays.binarySearch(edges, value);
        return i >= 0 ? i : -i - 1;
    }
}
