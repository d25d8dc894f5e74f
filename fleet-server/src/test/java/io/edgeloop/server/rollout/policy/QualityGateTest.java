package io.edgeloop.server.rollout.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.edgeloop.server.rollout.policy.GateVerdict.Outcome.BREACH;
import static io.edgeloop.server.rollout.policy.GateVerdict.Outcome.PASS;
import static io.edgeloop.server.rollout.policy.GateVerdict.Outcome.WAITING;
import static io.edgeloop.server.rollout.policy.WavePlanTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QualityGateTest {
    private static final QualityGate DEFAULTS = new QualityGate(GateThresholds.DEFAULTS);

    private static GateEvidence evidence(long requests, long errors, Double p95, Double agreement, Double accuracy,
                                         Double drift) {
        return new GateEvidence(requests, errors, p95, agreement, accuracy, drift, 4);
    }

    private static GateEvidence healthy() {
        return evidence(1000, 2, 10.0, 0.99, 0.88, 0.05);
    }

    private static GateCheck check(GateVerdict verdict, String name) {
        return verdict.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + verdict));
    }

    @Test
    void aCandidateLikeThePreviousVersionPassesEveryCheck() {
        GateVerdict v = DEFAULTS.evaluate(evidence(1000, 3, 11.0, null, 0.87, 0.06), healthy());
        assertEquals(PASS, v.outcome(), v.summary());
        assertEquals(List.of("requests", "errorRate", "errorRateVsPrevious", "p95Ratio", "accuracyDrop", "driftIncrease"),
                v.checks().stream().map(GateCheck::name).toList(), "shadow agreement is off by default");
        assertTrue(v.checks().stream().allMatch(GateCheck::passed));
        assertEquals(1.1, check(v, "p95Ratio").observed(), 1e-9);
        assertEquals(0.01, check(v, "accuracyDrop").observed(), 1e-9);
        assertTrue(v.breaches().isEmpty());
    }

    @Test
    void tooFewRequestsWaitsUnlessTheErrorsAlreadyDecide() {
        GateVerdict few = DEFAULTS.evaluate(evidence(40, 1, 50.0, null, 0.2, 0.9), healthy());
        assertEquals(WAITING, few.outcome(), "bad figures on 40 requests are not judged yet");
        GateCheck requests = check(few, GateCheck.REQUESTS);
        assertTrue(requests.waiting() && !requests.breached());
        assertEquals(40, requests.observed());
        assertEquals(100, requests.limit());
        assertEquals("40 requests served on 4 devices, fewer than the 100 needed before judging", requests.detail());

        // 3 errors are more than 2 % of the 100 requests judged, whatever the next 60 do.
        GateVerdict early = DEFAULTS.evaluate(evidence(40, 3, null, null, null, null), healthy());
        assertEquals(BREACH, early.outcome(), early.summary());
        assertEquals(0.03, check(early, "errorRate").observed(), 1e-12);
        assertEquals(WAITING, DEFAULTS.evaluate(evidence(40, 2, null, null, null, null), healthy()).outcome(),
                "2 errors can still end at 2 %");
    }

    @Test
    void errorRateAboveTheMaximumBreaches() {
        GateVerdict v = DEFAULTS.evaluate(evidence(1000, 30, 10.0, null, 0.88, 0.05), healthy());
        assertEquals(BREACH, v.outcome());
        GateCheck c = check(v, "errorRate");
        assertFalse(c.passed());
        assertEquals(0.03, c.observed(), 1e-12);
        assertEquals("30 errors in 1000 requests (3.00 %), above 2.00 %", c.detail());
        assertTrue(v.summary().startsWith("BREACH: 30 errors"), v.summary());
    }

    @Test
    void significantlyMoreErrorsThanThePreviousVersionBreachesUnderTheMaximum() {
        GateEvidence previous = evidence(10_000, 10, 10.0, null, 0.88, 0.05);
        GateVerdict worse = DEFAULTS.evaluate(evidence(10_000, 60, 10.0, null, 0.88, 0.05), previous);
        assertEquals(BREACH, worse.outcome(), worse.summary());
        GateCheck c = check(worse, "errorRateVsPrevious");
        assertTrue(c.breached());
        assertTrue(c.observed() < 1e-6, "p = " + c.observed());
        assertTrue(check(worse, "errorRate").passed(), "0.6 % is under the 2 % maximum");
        assertTrue(c.detail().contains("candidate 60 errors in 10000 requests (0.60 %) vs previous 10 in 10000 (0.10 %)"),
                c.detail());

        GateVerdict same = DEFAULTS.evaluate(evidence(10_000, 12, 10.0, null, 0.88, 0.05), previous);
        assertEquals(PASS, same.outcome(), same.summary());
        assertTrue(check(same, "errorRateVsPrevious").observed() > 0.1);

        GateVerdict fewer = DEFAULTS.evaluate(evidence(10_000, 2, 10.0, null, 0.88, 0.05), previous);
        assertTrue(check(fewer, "errorRateVsPrevious").observed() > 0.99, "one-sided: fewer errors are no evidence");
    }

    @Test
    void aSignificantButTinyIncreaseDoesNotBreach() {
        // 1.0 % vs 1.2 % over ten million requests each is significant, but only 1.2 times as high.
        GateEvidence previous = evidence(10_000_000, 100_000, 10.0, null, 0.88, 0.05);
        GateVerdict v = DEFAULTS.evaluate(evidence(10_000_000, 120_000, 10.0, null, 0.88, 0.05), previous);
        GateCheck c = check(v, "errorRateVsPrevious");
        assertTrue(c.observed() < QualityGate.SIGNIFICANCE, "p = " + c.observed());
        assertTrue(c.passed(), c.detail());
        assertTrue(c.detail().contains("only 1.20 times"), c.detail());
        assertTrue(c.detail().contains("one-sided chi-square p"), c.detail());
        GateCheck lower = check(DEFAULTS.evaluate(evidence(10_000_000, 80_000, 10.0, null, 0.88, 0.05), previous),
                "errorRateVsPrevious");
        assertTrue(lower.observed() > 0.99, "one-sided: " + lower.detail());
    }

    @Test
    void exactAndApproximateTestsAgreeWhereBothApply() {
        // 5000 errors in all is the last table the exact test takes; 5001 goes to chi-square.
        GateEvidence previous = evidence(1_000_000, 2_400, 10.0, null, 0.88, 0.05);
        double fewer = check(DEFAULTS.evaluate(evidence(1_000_000, 0, 10.0, null, 0.88, 0.05), previous),
                "errorRateVsPrevious").observed();
        assertTrue(fewer > 0.999);
        GateCheck fisher = check(DEFAULTS.evaluate(evidence(1_000_000, 2_600, 10.0, null, 0.88, 0.05), previous),
                "errorRateVsPrevious");
        GateCheck chi = check(DEFAULTS.evaluate(evidence(1_000_000, 2_601, 10.0, null, 0.88, 0.05), previous),
                "errorRateVsPrevious");
        assertTrue(fisher.detail().contains("Fisher exact") && chi.detail().contains("chi-square"),
                fisher.detail() + " / " + chi.detail());
        assertEquals(fisher.observed(), chi.observed(), fisher.observed() * 0.25,
                "about the same p on both sides of the switch");
    }

    @Test
    void countsBeyondAnIntAreScaledForTheExactTest() {
        GateEvidence previous = evidence(4_000_000_000L, 4_000_000, 10.0, null, 0.88, 0.05);
        GateVerdict v = DEFAULTS.evaluate(evidence(4_000_000_000L, 12_000_000, 10.0, null, 0.88, 0.05), previous);
        assertEquals(BREACH, v.outcome(), v.summary());
        assertTrue(check(v, "errorRateVsPrevious").breached());
        GateVerdict rare = DEFAULTS.evaluate(evidence(4_000_000_000L, 90, 10.0, null, 0.88, 0.05),
                evidence(4_000_000_000L, 10, 10.0, null, 0.88, 0.05));
        assertTrue(check(rare, "errorRateVsPrevious").breached(), "rare errors keep the exact test: "
                + rare.summary());
    }

    @Test
    void theComparisonIsSkippedWhenThePreviousVersionServedTooLittle() {
        GateVerdict v = DEFAULTS.evaluate(evidence(1000, 5, 10.0, null, 0.88, 0.05), evidence(20, 0, 10.0, null, 0.88, 0.05));
        GateCheck c = check(v, "errorRateVsPrevious");
        assertTrue(c.passed() && Double.isNaN(c.observed()));
        assertTrue(c.detail().startsWith("not compared: the previous version served 20 requests"), c.detail());
        assertEquals(PASS, v.outcome());
    }

    @Test
    void slowerP95ThanAllowedBreaches() {
        GateVerdict v = DEFAULTS.evaluate(evidence(1000, 0, 20.0, null, 0.88, 0.05), healthy());
        assertEquals(BREACH, v.outcome());
        GateCheck c = check(v, "p95Ratio");
        assertEquals(2.0, c.observed(), 1e-12);
        assertEquals("p95 20.00 ms vs previous 10.00 ms: 2.00 times, above 1.50", c.detail());
    }

    @Test
    void missingEvidenceOfAnEnabledCheckWaits() {
        GateVerdict noP95 = DEFAULTS.evaluate(evidence(1000, 0, null, null, 0.88, 0.05), healthy());
        assertEquals(WAITING, noP95.outcome());
        assertTrue(check(noP95, "p95Ratio").waiting());
        assertEquals("waiting for p95 latency of the candidate", check(noP95, "p95Ratio").detail());
        GateVerdict noPrevious = DEFAULTS.evaluate(healthy(), evidence(1000, 0, 10.0, null, null, null));
        assertEquals(WAITING, noPrevious.outcome());
        assertEquals("waiting for the estimated accuracy of the previous version", check(noPrevious, "accuracyDrop").detail());
        assertTrue(noPrevious.summary().startsWith("WAITING: waiting for the estimated accuracy"), noPrevious.summary());
    }

    @Test
    void aBreachWinsOverAWait() {
        GateVerdict v = DEFAULTS.evaluate(evidence(1000, 0, 30.0, null, null, null), healthy());
        assertEquals(BREACH, v.outcome());
        assertEquals(List.of("p95Ratio"), v.breaches().stream().map(GateCheck::name).toList());
    }

    @Test
    void shadowAgreementWhenTheRolloutAsksForIt() {
        QualityGate gate = new QualityGate(GateThresholds.DEFAULTS.withMinShadowAgreement(0.95));
        assertEquals(WAITING, gate.evaluate(evidence(1000, 0, 10.0, null, 0.88, 0.05), healthy()).outcome());
        GateVerdict low = gate.evaluate(evidence(1000, 0, 10.0, 0.9, 0.88, 0.05), healthy());
        assertEquals(BREACH, low.outcome());
        assertEquals("top-1 agreement with the previous version 90.00 %, below 95.00 %",
                check(low, "shadowAgreement").detail());
        assertEquals(PASS, gate.evaluate(evidence(1000, 0, 10.0, 0.97, 0.88, 0.05), healthy()).outcome());
    }

    @Test
    void lowerEstimatedAccuracyAndMoreDriftBreach() {
        GateVerdict accuracy = DEFAULTS.evaluate(evidence(1000, 0, 10.0, null, 0.80, 0.05), healthy());
        assertEquals(BREACH, accuracy.outcome());
        GateCheck drop = check(accuracy, "accuracyDrop");
        assertEquals(0.08, drop.observed(), 1e-9);
        assertEquals("estimated accuracy 80.00 % vs previous 88.00 %: down by 8.0 points, above 5.0", drop.detail());
        GateCheck up = check(DEFAULTS.evaluate(evidence(1000, 0, 10.0, null, 0.95, 0.05), healthy()), "accuracyDrop");
        assertTrue(up.passed() && up.detail().contains("up by 7.0 points"), up.detail());

        GateVerdict drift = DEFAULTS.evaluate(evidence(1000, 0, 10.0, null, 0.88, 0.40), healthy());
        assertEquals(BREACH, drift.outcome());
        assertEquals("drift score 0.400 vs previous 0.050: +0.350, above 0.200", check(drift, "driftIncrease").detail());
    }

    @Test
    void withoutAPreviousVersionTheComparisonsPassAndSaySo() {
        GateVerdict v = DEFAULTS.evaluate(evidence(1000, 0, 10.0, null, 0.5, 0.9), null);
        assertEquals(PASS, v.outcome(), v.summary());
        for (String name : List.of("errorRateVsPrevious", "p95Ratio", "accuracyDrop", "driftIncrease")) {
            assertEquals("not compared: no previous version", check(v, name).detail());
        }
        assertEquals(BREACH, DEFAULTS.evaluate(evidence(1000, 50, null, null, null, null), null).outcome(),
                "the absolute error rate still holds");
    }

    @Test
    void nanThresholdsSwitchChecksOff() {
        QualityGate off = new QualityGate(GateThresholds.OFF);
        GateVerdict v = off.evaluate(evidence(0, 0, null, null, null, null), null);
        assertEquals(PASS, v.outcome());
        assertEquals(List.of(GateCheck.REQUESTS), v.checks().stream().map(GateCheck::name).toList());
        QualityGate onlyP95 = new QualityGate(new GateThresholds(Double.NaN, 1.2, Double.NaN, Double.NaN, Double.NaN, 10));
        GateVerdict p95 = onlyP95.evaluate(evidence(100, 100, 11.0, null, null, null), healthy());
        assertEquals(PASS, p95.outcome(), "100 % errors, but the error check is off: " + p95.summary());
    }

    @Test
    void thresholdsAndEvidenceRefuseImpossibleValues() {
        assertRefused(() -> new GateThresholds(-0.1, 1.5, Double.NaN, 0.05, 0.2, 100), "maxErrorRate", "[0.0, 1.0]");
        assertRefused(() -> new GateThresholds(0.1, 0, Double.NaN, 0.05, 0.2, 100), "maxP95Ratio", "was 0.0");
        assertRefused(() -> new GateThresholds(0.1, 1.5, 2, 0.05, 0.2, 100), "minShadowAgreement", "[0.0, 1.0]");
        assertRefused(() -> new GateThresholds(0.1, 1.5, 0.9, 0.05, 0.2, -1), "minRequests", ">= 0");
        assertRefused(() -> new GateThresholds(0.1, 1.5, 0.9, 0.05, Double.POSITIVE_INFINITY, 1), "maxDriftIncrease",
                "Infinity");
        assertRefused(() -> new GateEvidence(10, 11, null, null, null, null, 1), "errors", "<= requests");
        assertRefused(() -> new GateEvidence(10, 1, -1.0, null, null, null, 1), "p95Millis", "-1.0");
        assertRefused(() -> new GateEvidence(10, 1, null, null, 1.2, null, 1), "estimatedAccuracy", "1.2");
        assertRefused(() -> new GateEvidence(10, 1, null, Double.NaN, null, null, 1), "shadowAgreement", "NaN");
        assertRefused(() -> new GateEvidence(10, 1, null, null, null, null, -1), "devices", ">= 0");
        assertEquals(Double.NaN, GateEvidence.NONE.errorRate());
    }
}
