package io.edgeloop.agent.drift;

import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

/** The two-distribution statistics the drift monitor uses. */
public final class DriftStatistics {
    /** Stands in for an empty bin's fraction, so PSI stays finite (a common choice, 1e-4). */
    public static final double PSI_EPSILON = 1e-4;
    private static final KolmogorovSmirnovTest KS = KolmogorovSmirnovTest.withDefaults();

    private DriftStatistics() {
    }

    /** Population stability index: sum over bins of (actual - expected) * ln(actual / expected). */
    public static double psi(double[] expected, long[] actualCounts) {
        long total = 0;
        for (long c : actualCounts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], PSI_EPSILON);
            double a = Math.max((double) actualCounts[i] / total, PSI_EPSILON);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /**
     * p-value of the chi-square goodness-of-fit test of observed class counts against the
     * baseline's class fractions (empty baseline classes get {@link #PSI_EPSILON}); 1 for fewer
     * than two classes or no observations.
     */
    public static double chiSquarePValue(double[] expectedFractions, long[] observed) {
        long total = 0;
        for (long c : observed) {
            total += c;
        }
        if (observed.length < 2 || total == 0) {
            return 1;
        }
        double[] expected = new double[expectedFractions.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Math.max(expectedFractions[i], PSI_EPSILON);
        }
        return ChiSquareTest.withDefaults().test(expected, observed).getPValue();
    }

    /** Two-sample Kolmogorov-Smirnov statistic and p-value. */
    public static double[] ks(double[] sample, double[] reference) {
        KolmogorovSmirnovTest.TwoResult r = KS.test(sample, reference);
        return new double[]{r.getStatistic(), r.getPValue()};
    }
}
