package io.edgeloop.agent.drift;

import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

import java.util.SplittableRandom;

/**
 * The two-distribution statistics the drift monitor uses: tests with proper null distributions
 * (two-sample Kolmogorov-Smirnov for continuous signals; chi-square homogeneity of class counts,
 * by Monte Carlo when counts are small), PSI as an effect size, and the Wilson interval.
 */
public final class DriftStatistics {
    /** Stands in for an empty bin's fraction, so PSI stays finite (a common choice, 1e-4). */
    public static final double PSI_EPSILON = 1e-4;
    /** Below this expected count in any cell, the chi-square approximation gives way to Monte Carlo. */
    static final double MIN_EXPECTED = 5;
    /** Most Monte Carlo draws; the p-value's resolution is 1 / (DRAWS + 1), well under per-test thresholds of 1e-4. */
    static final int MONTE_CARLO_DRAWS = 20_000;
    /**
     * Draws stop once this many were at least as extreme (Besag and Clifford's sequential p-value,
     * h / draws, still a valid p-value): a clean window costs a few hundred draws, not 20,000.
     */
    static final int MONTE_CARLO_EXCEEDANCES = 20;
    /**
     * Asymptotic p-values: the exact two-sample distribution the defaults choose costs O(m n) per
     * test (about 2 ms for 1,000 against 2,000 values, against 0.05 ms for the statistic), and for
     * these sizes the asymptotic one errs on the conservative side.
     */
    private static final KolmogorovSmirnovTest KS = KolmogorovSmirnovTest.withDefaults().with(PValueMethod.ASYMPTOTIC);
    private static final ChiSquareTest CHI_SQUARE = ChiSquareTest.withDefaults();

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

    /** A test's statistic and p-value. */
    public record Test(double statistic, double pValue) {
    }

    /**
     * Chi-square test that the window's class counts and the reference's come from one
     * distribution (a 2 x K homogeneity test: the reference is a sample too, so a goodness-of-fit
     * test against its fractions would be too eager on large windows). Classes absent from both
     * are left out. When an expected count is under {@value #MIN_EXPECTED} the p-value is a
     * seeded Monte Carlo one: window counts drawn from the pooled counts without replacement
     * (the permutation distribution given both totals), stopped early once the answer is clearly
     * not significant.
     */
    public static Test classHomogeneity(long[] reference, long[] window) {
        int k = 0;
        for (int i = 0; i < window.length; i++) {
            if (reference[i] + window[i] > 0) {
                k++;
            }
        }
        long n = 0;
        long m = 0;
        long[][] table = new long[2][k];
        for (int i = 0, j = 0; i < window.length; i++) {
            if (reference[i] + window[i] > 0) {
                table[0][j] = reference[i];
                table[1][j++] = window[i];
                n += reference[i];
                m += window[i];
            }
        }
        if (k < 2 || n == 0 || m == 0) {
            return new Test(0, 1);
        }
        double statistic = CHI_SQUARE.statistic(table);
        double minExpected = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            minExpected = Math.min(minExpected, (double) (table[0][j] + table[1][j]) * Math.min(n, m) / (n + m));
        }
        if (minExpected >= MIN_EXPECTED) {
            return new Test(statistic, CHI_SQUARE.test(table).getPValue());
        }
        return new Test(statistic, monteCarloP(table, statistic));
    }

    private static double monteCarloP(long[][] table, double observed) {
        int k = table[0].length;
        long[] pooled = new long[k];
        long total = 0;
        long m = 0;
        for (int j = 0; j < k; j++) {
            pooled[j] = table[0][j] + table[1][j];
            total += pooled[j];
            m += table[1][j];
        }
        // Seeded by the table, so a report is reproducible.
        SplittableRandom random = new SplittableRandom(java.util.Arrays.deepHashCode(table));
        long[][] draw = new long[2][k];
        long[] left = new long[k];
        int atLeast = 0;
        for (int d = 0; d < MONTE_CARLO_DRAWS; d++) {
            System.arraycopy(pooled, 0, left, 0, k);
            java.util.Arrays.fill(draw[1], 0);
            long remaining = total;
            for (long s = 0; s < m; s++) {
                long pick = random.nextLong(remaining);
                int j = 0;
                while (pick >= left[j]) {
                    pick -= left[j++];
                }
                left[j]--;
                draw[1][j]++;
                remaining--;
            }
            for (int j = 0; j < k; j++) {
                draw[0][j] = pooled[j] - draw[1][j];
            }
            if (CHI_SQUARE.statistic(draw) >= observed - 1e-9 && ++atLeast == MONTE_CARLO_EXCEEDANCES) {
                return (double) atLeast / (d + 1);
            }
        }
        return (atLeast + 1.0) / (MONTE_CARLO_DRAWS + 1.0);
    }

    /** Two-sample Kolmogorov-Smirnov statistic and p-value. */
    public static Test ks(double[] sample, double[] reference) {
        KolmogorovSmirnovTest.TwoResult r = KS.test(sample, reference);
        return new Test(r.getStatistic(), r.getPValue());
    }

    /** The 95 % Wilson score interval of a proportion {@code k / n}: {low, high}. */
    public static double[] wilson(long k, long n) {
        if (n == 0) {
            return new double[]{0, 1};
        }
        double z = 1.959964;
        double p = (double) k / n;
        double denominator = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return new double[]{Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
