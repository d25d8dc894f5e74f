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
     * h / draws, still a valid p-value for any h). A clean window's p-value is uniform, so it
     * costs h (1 + ln(DRAWS / h)) draws on average: 46 with h = 5 (158 with h = 20, which made
     * this test most of a 50-window's cost). A small h makes a p-value near the threshold noisier
     * (its spread is about p / sqrt(h)), not invalid: false alarms stay within alpha.
     */
    static final int MONTE_CARLO_EXCEEDANCES = 5;
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

    /**
     * The Monte Carlo p-value. The draws are those of the plain algorithm (same seed, same picks),
     * but a draw's statistic is computed in closed form: with both row totals and the pooled column
     * counts {@code c_j} fixed, Pearson's statistic of the 2 x K table is
     * {@code N^2 / (m n) * sum_j (w_j - c_j m / N)^2 / c_j}, K multiply-adds and no allocation.
     */
    private static double monteCarloP(long[][] table, double observed) {
        int k = table[0].length;
        long[] pooled = new long[k];
        double[] expected = new double[k];
        double[] weight = new double[k];
        long total = 0;
        long m = 0;
        for (int j = 0; j < k; j++) {
            pooled[j] = table[0][j] + table[1][j];
            total += pooled[j];
            m += table[1][j];
        }
        double scale = (double) total * total / ((double) m * (total - m));
        for (int j = 0; j < k; j++) {
            expected[j] = (double) pooled[j] * m / total;
            weight[j] = scale / pooled[j];
        }
        double limit = pearson(table[1], expected, weight) - 1e-9;
        // Seeded by the table, so a report is reproducible.
        SplittableRandom random = new SplittableRandom(java.util.Arrays.deepHashCode(table));
        long[] drawn = new long[k];
        long[] left = new long[k];
        int atLeast = 0;
        boolean small = total <= Integer.MAX_VALUE;
        for (int d = 0; d < MONTE_CARLO_DRAWS; d++) {
            System.arraycopy(pooled, 0, left, 0, k);
            java.util.Arrays.fill(drawn, 0);
            long remaining = total;
            for (long s = 0; s < m; s++) {
                long pick = small ? below(random, (int) remaining) : random.nextLong(remaining);
                int j = 0;
                while (pick >= left[j]) {
                    pick -= left[j++];
                }
                left[j]--;
                drawn[j]++;
                remaining--;
            }
            if (pearson(drawn, expected, weight) >= limit && ++atLeast == MONTE_CARLO_EXCEEDANCES) {
                return (double) atLeast / (d + 1);
            }
        }
        return (atLeast + 1.0) / (MONTE_CARLO_DRAWS + 1.0);
    }

    /**
     * A uniform integer in [0, bound), without bias and mostly without a division (Lemire's
     * multiply-shift with rejection, "Fast random integer generation in an interval", 2019).
     */
    static int below(SplittableRandom random, int bound) {
        long product = (random.nextInt() & 0xFFFFFFFFL) * bound;
        long low = product & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                product = (random.nextInt() & 0xFFFFFFFFL) * bound;
                low = product & 0xFFFFFFFFL;
            }
        }
        return (int) (product >>> 32);
    }

    private static double pearson(long[] window, double[] expected, double[] weight) {
        double x = 0;
        for (int j = 0; j < window.length; j++) {
            double r = window[j] - expected[j];
            x += r * r * weight[j];
        }
        return x;
    }

    /** Two-sample Kolmogorov-Smirnov statistic and p-value. */
    public static Test ks(double[] sample, double[] reference) {
        KolmogorovSmirnovTest.TwoResult r = KS.test(sample, reference);
        return new Test(r.getStatistic(), r.getPValue());
    }

    /**
     * {@link #ks} against an ascending reference, cheaply. The statistic is found in O(m log n):
     * the sample is sorted and each of its distinct values is looked up in the reference (the
     * supremum of |F_m - G_n| is reached at a sample value or just below one). Its p-value is a
     * function of the sizes and the statistic alone, and the statistic is a multiple of
     * 1 / lcm(m, n), so p-values are cached per (m, n, statistic): a cache miss asks
     * {@link #ks}, every later window with that statistic reads the same number back. The
     * figures equal {@link #ks}'s.
     */
    public static Test ksSorted(double[] sample, double[] sortedReference) {
        int m = sample.length;
        int n = sortedReference.length;
        long lcm = (long) m / gcd(m, n) * n;
        if (m == 0 || n == 0 || lcm > MAX_CACHED_STATISTICS) {
            return ks(sample, sortedReference);
        }
        double[] x = sample.clone();
        java.util.Arrays.sort(x);
        if (!Double.isFinite(x[0]) || !Double.isFinite(x[m - 1])) {
            return ks(sample, sortedReference);
        }
        // In units of 1 / lcm: F_m steps by lcm / m, G_n by lcm / n.
        long stepM = lcm / m;
        long stepN = lcm / n;
        long largest = 0;
        if ((long) m * 2 * (33 - Integer.numberOfLeadingZeros(n)) < m + n) {
            int i = 0;
            while (i < m) {
                double v = x[i];
                int below = lowerBound(sortedReference, v);
                // Just below v: i sample values and `below` reference values are smaller.
                largest = Math.max(largest, Math.abs(i * stepM - below * stepN));
                while (i < m && x[i] == v) {
                    i++;
                }
                int atMost = upperBound(sortedReference, v, below);
                largest = Math.max(largest, Math.abs(i * stepM - atMost * stepN));
            }
        } else {
            int i = 0;
            int j = 0;
            while (i < m && j < n) {
                double v = Math.min(x[i], sortedReference[j]);
                while (i < m && x[i] == v) {
                    i++;
                }
                while (j < n && sortedReference[j] == v) {
                    j++;
                }
                largest = Math.max(largest, Math.abs(i * stepM - j * stepN));
            }
        }
        double statistic = (double) largest / lcm;
        Long key = ((long) m << 32) | n;
        java.util.concurrent.atomic.AtomicLongArray cache = KS_P_CACHE.get(key);
        if (cache == null && KS_P_CACHE.size() < MAX_CACHED_SIZES) {
            KS_P_CACHE.putIfAbsent(key, new java.util.concurrent.atomic.AtomicLongArray((int) lcm + 1));
            cache = KS_P_CACHE.get(key);
        }
        if (cache != null) {
            long bits = cache.get((int) largest);
            if (bits != 0) {
                return new Test(statistic, Double.longBitsToDouble(~bits));
            }
        }
        // The sorted copy: the library sorts what it is given, and an ascending array sorts in one pass.
        Test direct = ks(x, sortedReference);
        if (cache != null && Math.round(direct.statistic() * lcm) == largest) {
            // Stored complemented, so that 0 means "not computed yet".
            cache.set((int) largest, ~Double.doubleToRawLongBits(direct.pValue()));
        }
        return direct;
    }

    /**
     * Cached only where lcm(m, n) is at most this (256 KiB of p-values per (m, n)): window sizes
     * that divide or share factors with the reference size, e.g. 50 to 5,000 against 2,000 (at
     * most 10,000); an odd flushed window, such as 997 against 2,000, is tested directly.
     */
    static final long MAX_CACHED_STATISTICS = 1 << 15;
    /** At most this many (m, n) pairs cached: 4 MiB at worst, a few tens of KiB in practice. */
    static final int MAX_CACHED_SIZES = 16;
    private static final java.util.concurrent.ConcurrentHashMap<Long, java.util.concurrent.atomic.AtomicLongArray> KS_P_CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether {@code values} ascend (what {@link #ksSorted} needs of its reference). */
    public static boolean ascending(double[] values) {
        for (int i = 1; i < values.length; i++) {
            if (!(values[i - 1] <= values[i])) {
                return false;
            }
        }
        return true;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The number of values in {@code sorted} below {@code v}. */
    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The number of values in {@code sorted} at most {@code v}, searching from {@code from}. */
    private static int upperBound(double[] sorted, double v, int from) {
        int lo = from;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
