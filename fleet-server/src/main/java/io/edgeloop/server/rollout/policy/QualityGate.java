package io.edgeloop.server.rollout.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.FisherExactTest;

/**
 * Judges a candidate version against the previous version on the same devices, from their
 * telemetry during a wave's soak. Checks, each off when its threshold is NaN:
 * <ul>
 *   <li>{@code requests}: the candidate served at least {@code minRequests}; until then the gate
 *       waits, unless the errors already exceed what {@code minRequests} requests could hold;</li>
 *   <li>{@code errorRate}: errors / requests at most {@code maxErrorRate};</li>
 *   <li>{@code errorRateVsPrevious} (with {@code errorRate}, when both versions served
 *       {@code minRequests}): the candidate's error rate is not significantly higher than the
 *       previous version's (one-sided: Fisher's exact test, or Pearson's chi-square once both
 *       errors and successes number in the thousands; p below {@value #SIGNIFICANCE}) by a factor
 *       of at least {@value #MIN_ERROR_RATE_RATIO};</li>
 *   <li>{@code p95Ratio}: candidate p95 / previous p95 at most {@code maxP95Ratio};</li>
 *   <li>{@code shadowAgreement}: agreement with the previous version at least
 *       {@code minShadowAgreement};</li>
 *   <li>{@code accuracyDrop}: previous minus candidate estimated accuracy at most
 *       {@code maxAccuracyDrop};</li>
 *   <li>{@code driftIncrease}: candidate minus previous drift score at most {@code maxDriftIncrease}.</li>
 * </ul>
 * A check whose figure is missing waits; the verdict is BREACH as soon as one judged check fails,
 * else WAITING while any waits, else PASS. A {@code null} previous evidence means there is no
 * previous version (a first install): the checks against it pass with a detail that says so.
 */
public final class QualityGate {
    /**
     * The p-value under which a higher error rate counts as real. Low because the gate looks
     * again at every tick of a soak, and each look is another chance of a false alarm.
     */
    public static final double SIGNIFICANCE = 0.001;
    /** How many times the previous error rate a significant increase must reach to breach. */
    public static final double MIN_ERROR_RATE_RATIO = 1.5;

    /** The exact test runs while the rarer outcome (errors, or successes) is at most this common. */
    private static final long MAX_EXACT_COUNT = 5_000;
    /** Request totals above this are scaled down for the exact test, whose table must sum to an int. */
    private static final long MAX_TEST_TOTAL = 1L << 30;
    private static final FisherExactTest FISHER = FisherExactTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN);
    private static final ChiSquareTest CHI_SQUARE = ChiSquareTest.withDefaults();

    private final GateThresholds thresholds;

    public QualityGate(GateThresholds thresholds) {
        this.thresholds = PolicyChecks.present("thresholds", thresholds);
    }

    /** The thresholds this gate holds candidates to. */
    public GateThresholds thresholds() {
        return thresholds;
    }

    /**
     * Judges {@code candidate} against {@code previous}.
     *
     * @param candidate the new version's evidence on the wave's devices
     * @param previous  the previous version's evidence on the same devices, or {@code null} when
     *                  there is no previous version
     */
    public GateVerdict evaluate(GateEvidence candidate, GateEvidence previous) {
        PolicyChecks.present("candidate", candidate);
        List<GateCheck> checks = new ArrayList<>();
        GateCheck requests = requests(candidate);
        checks.add(requests);
        if (!requests.passed()) {
            GateCheck early = earlyErrorBreach(candidate);
            if (early != null) {
                checks.add(early);
                return new GateVerdict(GateVerdict.Outcome.BREACH, checks);
            }
            return new GateVerdict(GateVerdict.Outcome.WAITING, checks);
        }
        if (on(thresholds.maxErrorRate())) {
            checks.add(errorRate(candidate));
            checks.add(errorRateVsPrevious(candidate, previous));
        }
        if (on(thresholds.maxP95Ratio())) {
            checks.add(p95Ratio(candidate, previous));
        }
        if (on(thresholds.minShadowAgreement())) {
            checks.add(shadowAgreement(candidate));
        }
        if (on(thresholds.maxAccuracyDrop())) {
            checks.add(accuracyDrop(candidate, previous));
        }
        if (on(thresholds.maxDriftIncrease())) {
            checks.add(driftIncrease(candidate, previous));
        }
        GateVerdict.Outcome outcome = checks.stream().anyMatch(GateCheck::breached) ? GateVerdict.Outcome.BREACH
                : checks.stream().anyMatch(GateCheck::waiting) ? GateVerdict.Outcome.WAITING
                : GateVerdict.Outcome.PASS;
        return new GateVerdict(outcome, checks);
    }

    private static boolean on(double threshold) {
        return !Double.isNaN(threshold);
    }

    private GateCheck requests(GateEvidence candidate) {
        long min = thresholds.minRequests();
        boolean enough = candidate.requests() >= min;
        return new GateCheck(GateCheck.REQUESTS, candidate.requests(), min, enough,
                format("%d requests served on %d devices, %s %d needed before judging", candidate.requests(),
                        candidate.devices(), enough ? "at least" : "fewer than the", min));
    }

    /** The error check, when the errors so far exceed the limit even if every request to come succeeds. */
    private GateCheck earlyErrorBreach(GateEvidence candidate) {
        double max = thresholds.maxErrorRate();
        long min = thresholds.minRequests();
        if (!on(max) || candidate.errors() <= max * min) {
            return null;
        }
        double bound = (double) candidate.errors() / min;
        return new GateCheck("errorRate", bound, max, false,
                format("%d errors in the first %d requests already exceed %s of the %d requests judged "
                        + "(at least %s)", candidate.errors(), candidate.requests(), percent(max), min, percent(bound)));
    }

    private GateCheck errorRate(GateEvidence candidate) {
        double rate = candidate.errorRate();
        double max = thresholds.maxErrorRate();
        if (Double.isNaN(rate)) {
            return GateCheck.waiting("errorRate", max, "no requests served yet");
        }
        boolean passed = rate <= max;
        return new GateCheck("errorRate", rate, max, passed, format("%d errors in %d requests (%s), %s %s",
                candidate.errors(), candidate.requests(), percent(rate), passed ? "within" : "above", percent(max)));
    }

    private GateCheck errorRateVsPrevious(GateEvidence candidate, GateEvidence previous) {
        String name = "errorRateVsPrevious";
        if (previous == null) {
            return new GateCheck(name, Double.NaN, SIGNIFICANCE, true, "not compared: no previous version");
        }
        long min = Math.max(1, thresholds.minRequests());
        if (candidate.requests() < min || previous.requests() < min) {
            boolean candidateShort = candidate.requests() < min;
            return new GateCheck(name, Double.NaN, SIGNIFICANCE, true, format(
                    "not compared: the %s served %d requests, fewer than the %d a comparison needs",
                    candidateShort ? "candidate" : "previous version",
                    candidateShort ? candidate.requests() : previous.requests(), min));
        }
        Comparison comparison = compare(candidate, previous);
        double p = comparison.p();
        double ratio = previous.errorRate() == 0 ? (candidate.errors() == 0 ? 1 : Double.POSITIVE_INFINITY)
                : candidate.errorRate() / previous.errorRate();
        boolean worse = p < SIGNIFICANCE && ratio >= MIN_ERROR_RATE_RATIO;
        String figures = format("candidate %d errors in %d requests (%s) vs previous %d in %d (%s): one-sided "
                        + "%s p = %.3g", candidate.errors(), candidate.requests(), percent(candidate.errorRate()),
                previous.errors(), previous.requests(), percent(previous.errorRate()), comparison.test(), p);
        String verdict = worse ? format(", below %s and %.2f times as high: significantly worse", SIGNIFICANCE, ratio)
                : p < SIGNIFICANCE ? format(", below %s but only %.2f times as high (%.1f needed)", SIGNIFICANCE, ratio,
                        MIN_ERROR_RATE_RATIO)
                : format(", not below %s", SIGNIFICANCE);
        return new GateCheck(name, p, SIGNIFICANCE, !worse, figures + verdict);
    }

    /** A one-sided p-value and the test that gave it. */
    private record Comparison(double p, String test) {
    }

    /**
     * How likely errors at least this much more frequent on the candidate are if both versions
     * fail alike. Fisher's exact test while either outcome is rare (its cost grows with the rarer
     * count), Pearson's chi-square beyond, where its normal approximation is tight: its two-sided
     * p halves to the one-sided one in the direction of the candidate's rate.
     */
    private static Comparison compare(GateEvidence candidate, GateEvidence previous) {
        long candidateOk = candidate.requests() - candidate.errors();
        long previousOk = previous.requests() - previous.errors();
        long errors = candidate.errors() + previous.errors();
        long oks = candidateOk + previousOk;
        if (Math.min(errors, oks) <= MAX_EXACT_COUNT) {
            // The table must sum to an int. Past that only the common outcome's column is scaled
            // down: the odds ratio stays as it was and the rare counts, which carry the evidence,
            // stay exact.
            long total = errors + oks;
            double scale = total > MAX_TEST_TOTAL
                    ? (double) (MAX_TEST_TOTAL - Math.min(errors, oks)) / Math.max(errors, oks) : 1;
            double errorScale = errors > oks ? scale : 1;
            double okScale = errors > oks ? 1 : scale;
            int[][] table = {{scaled(candidate.errors(), errorScale), scaled(candidateOk, okScale)},
                {scaled(previous.errors(), errorScale), scaled(previousOk, okScale)}};
            return new Comparison(FISHER.test(table).getPValue(), "Fisher exact");
        }
        double twoSided = CHI_SQUARE.test(new long[][]{{candidate.errors(), candidateOk},
            {previous.errors(), previousOk}}).getPValue();
        boolean higher = candidate.errorRate() > previous.errorRate();
        return new Comparison(higher ? twoSided / 2 : 1 - twoSided / 2, "chi-square");
    }

    private static int scaled(long count, double scale) {
        return (int) Math.round(count * scale);
    }

    private GateCheck p95Ratio(GateEvidence candidate, GateEvidence previous) {
        String name = "p95Ratio";
        double max = thresholds.maxP95Ratio();
        if (previous == null) {
            return new GateCheck(name, Double.NaN, max, true, "not compared: no previous version");
        }
        if (candidate.p95Millis() == null || previous.p95Millis() == null) {
            return GateCheck.waiting(name, max, "waiting for p95 latency of " + missing(candidate.p95Millis(),
                    previous.p95Millis()));
        }
        double c = candidate.p95Millis();
        double p = previous.p95Millis();
        double ratio = p > 0 ? c / p : (c > 0 ? Double.POSITIVE_INFINITY : 1);
        boolean passed = ratio <= max;
        return new GateCheck(name, ratio, max, passed, format("p95 %.2f ms vs previous %.2f ms: %.2f times, %s %.2f",
                c, p, ratio, passed ? "within" : "above", max));
    }

    private GateCheck shadowAgreement(GateEvidence candidate) {
        String name = "shadowAgreement";
        double min = thresholds.minShadowAgreement();
        if (candidate.shadowAgreement() == null) {
            return GateCheck.waiting(name, min, "waiting for shadow agreement from the devices");
        }
        double agreement = candidate.shadowAgreement();
        boolean passed = agreement >= min;
        return new GateCheck(name, agreement, min, passed, format("top-1 agreement with the previous version %s, %s %s",
                percent(agreement), passed ? "at least" : "below", percent(min)));
    }

    private GateCheck accuracyDrop(GateEvidence candidate, GateEvidence previous) {
        String name = "accuracyDrop";
        double max = thresholds.maxAccuracyDrop();
        if (previous == null) {
            return new GateCheck(name, Double.NaN, max, true, "not compared: no previous version");
        }
        if (candidate.estimatedAccuracy() == null || previous.estimatedAccuracy() == null) {
            return GateCheck.waiting(name, max, "waiting for the estimated accuracy of "
                    + missing(candidate.estimatedAccuracy(), previous.estimatedAccuracy()));
        }
        double drop = previous.estimatedAccuracy() - candidate.estimatedAccuracy();
        boolean passed = drop <= max;
        return new GateCheck(name, drop, max, passed, format(
                "estimated accuracy %s vs previous %s: %s by %.1f points, %s %.1f", percent(candidate.estimatedAccuracy()),
                percent(previous.estimatedAccuracy()), drop >= 0 ? "down" : "up", Math.abs(drop) * 100,
                passed ? "within" : "above", max * 100));
    }

    private GateCheck driftIncrease(GateEvidence candidate, GateEvidence previous) {
        String name = "driftIncrease";
        double max = thresholds.maxDriftIncrease();
        if (previous == null) {
            return new GateCheck(name, Double.NaN, max, true, "not compared: no previous version");
        }
        if (candidate.driftScore() == null || previous.driftScore() == null) {
            return GateCheck.waiting(name, max, "waiting for the drift score of "
                    + missing(candidate.driftScore(), previous.driftScore()));
        }
        double increase = candidate.driftScore() - previous.driftScore();
        boolean passed = increase <= max;
        return new GateCheck(name, increase, max, passed, format("drift score %.3f vs previous %.3f: %+.3f, %s %.3f",
                candidate.driftScore(), previous.driftScore(), increase, passed ? "within" : "above", max));
    }

    private static String missing(Double candidate, Double previous) {
        return candidate == null && previous == null ? "both versions"
                : candidate == null ? "the candidate" : "the previous version";
    }

    private static String percent(double share) {
        return format("%.2f %%", share * 100);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
