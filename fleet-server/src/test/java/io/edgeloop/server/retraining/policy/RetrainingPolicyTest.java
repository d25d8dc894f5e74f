package io.edgeloop.server.retraining.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each check of the policy on its own: the others are met, so the one under test decides. */
class RetrainingPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T22:00:00Z");
    private static final Map<String, VersionExpectation> V1 = Map.of("1.0.0", new VersionExpectation(0.85, Map.of()));

    /** A window of {@code device} on 1.0.0 ending {@code agoSeconds} ago with an estimate and no labels. */
    private static DriftWindowFacts estimate(String device, double estimate, long agoSeconds) {
        return new DriftWindowFacts(device, "1.0.0", NOW.toEpochMilli() - agoSeconds * 1000, 200, estimate, null, 0,
                0.05, true, false);
    }

    private static DriftWindowFacts live(String device, String version, double estimate, double live, long labels) {
        return new DriftWindowFacts(device, version, NOW.toEpochMilli() - 10_000, 200, estimate, live, labels, 0.05,
                true, false);
    }

    /** Two shifted devices (estimate 0.5 vs 0.85), one clean one, 400 captures and 300 labels on each. */
    private static RetrainingEvidence drifting() {
        return evidence(List.of(estimate("cam-1", 0.5, 30), estimate("cam-2", 0.55, 30), estimate("cam-3", 0.84, 30)),
                400, 300, null, null);
    }

    private static RetrainingEvidence evidence(List<DriftWindowFacts> windows, long captures, long labels,
                                               Instant last, String inProgress) {
        Map<String, Long> c = new HashMap<>();
        Map<String, Long> l = new HashMap<>();
        for (DriftWindowFacts w : windows) {
            c.put(w.deviceId(), captures);
            l.put(w.deviceId(), labels);
        }
        return new RetrainingEvidence(NOW, 1, windows, V1, c, l, last, inProgress);
    }

    private static RetrainingPolicy policy() {
        return RetrainingPolicy.defaults();
    }

    @Test
    void retrainsWhenEveryCheckPassesAndRecordsItsFigures() {
        RetrainingDecision d = policy().decide(drifting());
        assertEquals(RetrainingDecision.Action.RETRAIN, d.action(), d.reasons().toString());
        assertEquals(List.of("cam-1", "cam-2"), d.driftedDevices());
        assertEquals(800L, d.figures().get("samples"));
        assertEquals(600L, d.figures().get("labels"));
        assertEquals(1, d.figures().get("productionVersion"));
        assertEquals(0L, d.figures().get("cooldownRemainingSeconds"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cam1 = (Map<String, Object>) ((Map<String, Object>) d.figures().get("devices")).get("cam-1");
        assertEquals(0.85, cam1.get("expectedAccuracy"));
        assertEquals(0.85 - 0.5, (Double) cam1.get("worstDrop"), 1e-9);
        assertEquals("estimate", cam1.get("lastAccuracySource"));
        assertTrue(d.reasons().get(0).startsWith("2 device(s) drifted (cam-1, cam-2) >= minDriftedDevices 2"), d.reasons().get(0));
    }

    @Test
    void waitsForTheMinimumNumberOfDriftedDevices() {
        RetrainingEvidence one = evidence(List.of(estimate("cam-1", 0.5, 30), estimate("cam-2", 0.80, 30)), 400, 300, null, null);
        RetrainingDecision d = policy().decide(one);
        assertEquals(RetrainingDecision.Action.WAIT, d.action());
        assertEquals(List.of("cam-1"), d.driftedDevices());
        assertTrue(d.reasons().stream().anyMatch(r -> r.startsWith("1 device(s) drifted (cam-1) < minDriftedDevices 2")),
                d.reasons().toString());
    }

    @Test
    void waitsForTheMinimumNumberOfSamples() {
        RetrainingDecision d = policy().decide(evidence(List.of(estimate("cam-1", 0.5, 30), estimate("cam-2", 0.5, 30)),
                200, 150, null, null));
        assertEquals(RetrainingDecision.Action.WAIT, d.action());
        assertTrue(d.reasons().contains("400 captured samples on the drifted devices < minSamples 500"), d.reasons().toString());
    }

    @Test
    void waitsForTheMinimumNumberOfLabels() {
        RetrainingDecision d = policy().decide(evidence(List.of(estimate("cam-1", 0.5, 30), estimate("cam-2", 0.5, 30)),
                400, 90, null, null));
        assertEquals(RetrainingDecision.Action.WAIT, d.action());
        assertTrue(d.reasons().contains("180 labelled captures on the drifted devices < minLabels 200"), d.reasons().toString());
        assertTrue(d.reasons().contains("800 captured samples on the drifted devices >= minSamples 500"));
    }

    @Test
    void onlyTheDriftedDevicesCapturesCount() {
        // The clean device captured a lot; it does not make up for the drifted ones' few labels.
        Map<String, Long> captures = Map.of("cam-1", 100L, "cam-2", 100L, "cam-3", 5000L);
        Map<String, Long> labels = Map.of("cam-1", 50L, "cam-2", 50L, "cam-3", 5000L);
        RetrainingDecision d = policy().decide(new RetrainingEvidence(NOW, 1, drifting().windows(), V1, captures, labels,
                null, null));
        assertEquals(200L, d.figures().get("samples"));
        assertEquals(100L, d.figures().get("labels"));
        assertEquals(RetrainingDecision.Action.WAIT, d.action());
    }

    @Test
    void theEstimatedAccuracyDropThresholdIsStrict() {
        RetrainingPolicy p = policy();
        assertFalse(p.signal().counts(estimate("a", 0.75, 1), 0.85), "a drop of exactly 0.10 does not count");
        assertTrue(p.signal().counts(estimate("a", 0.7499, 1), 0.85));
        assertFalse(p.signal().counts(estimate("a", 0.2, 1), null), "no expectation, no estimate-based signal");
    }

    @Test
    void liveAccuracyWithEnoughLabelsOverrulesTheEstimate() {
        DriftSignal s = DriftSignal.DEFAULTS;
        // The estimate says fine, the labels say 0.5: it counts.
        assertTrue(s.counts(live("a", "1.0.0", 0.84, 0.50, 50), 0.85));
        // The estimate says bad, the labels say fine: it does not.
        assertFalse(s.counts(live("a", "1.0.0", 0.30, 0.84, 50), 0.85));
        // Too few labels: the estimate decides.
        assertTrue(s.counts(live("a", "1.0.0", 0.30, 0.84, 5), 0.85));
    }

    @Test
    void outputPsiCountsOnlyWhenSet() {
        DriftWindowFacts w = new DriftWindowFacts("a", "1.0.0", NOW.toEpochMilli(), 200, 0.84, null, 0, 0.6, true, false);
        assertFalse(DriftSignal.DEFAULTS.counts(w, 0.85));
        DriftSignal psi = new DriftSignal(Duration.ofMinutes(10), null, null, 20, 0.5, 1);
        assertTrue(psi.counts(w, 0.85));
        assertThrows(IllegalArgumentException.class, () -> new DriftSignal(Duration.ofMinutes(10), null, null, 20, null, 1));
    }

    @Test
    void aDeviceNeedsTheRequiredNumberOfCountingWindowsWithinTheLookback() {
        DriftSignal twoWindows = new DriftSignal(Duration.ofMinutes(10), 0.10, 0.10, 20, null, 2);
        List<DriftWindowFacts> windows = List.of(estimate("a", 0.5, 30), estimate("a", 0.84, 60));
        assertFalse(twoWindows.judge("a", windows, NOW.toEpochMilli(), V1).drifted());
        List<DriftWindowFacts> two = List.of(estimate("a", 0.5, 30), estimate("a", 0.6, 60), estimate("a", 0.3, 3600));
        DriftSignal.DeviceVerdict v = twoWindows.judge("a", two, NOW.toEpochMilli(), V1);
        assertTrue(v.drifted());
        assertEquals(2, v.windows(), "the window of an hour ago is outside the 10 min lookback");
    }

    @Test
    void onlyTheWindowsOfTheVersionADeviceRunsNowCount() {
        // cam-1 drifted on 1.0.0 and now runs 2.0.0, which does as well as the gate measured on its captures.
        Map<String, VersionExpectation> expectations = Map.of("1.0.0", new VersionExpectation(0.85, Map.of()),
                "2.0.0", new VersionExpectation(0.86, Map.of("cam-1", 0.74)));
        List<DriftWindowFacts> windows = new ArrayList<>();
        windows.add(estimate("cam-1", 0.2, 120));
        windows.add(new DriftWindowFacts("cam-1", "2.0.0", NOW.toEpochMilli() - 20_000, 200, 0.70, null, 0, 0.2, true, true));
        DriftSignal.DeviceVerdict v = DriftSignal.DEFAULTS.judge("cam-1", windows, NOW.toEpochMilli(), expectations);
        assertEquals("2.0.0", v.modelVersion());
        assertEquals(0.74, v.expectedAccuracy());
        assertFalse(v.drifted(), "0.70 is within 0.10 of the 0.74 it was gated at, though 0.16 below its clean baseline");
        assertEquals(1, v.agentDriftedWindows(), "the agent's input drift flag is reported, and decides nothing");
        // The same version on a device whose captures did not train it is held to the clean baseline.
        assertTrue(DriftSignal.DEFAULTS.judge("cam-9", List.of(new DriftWindowFacts("cam-9", "2.0.0",
                NOW.toEpochMilli(), 200, 0.70, null, 0, 0.2, true, false)), NOW.toEpochMilli(), expectations).drifted());
    }

    @Test
    void waitsOutTheCooldownAndSaysHowLongIsLeft() {
        RetrainingEvidence e = drifting();
        RetrainingEvidence recent = new RetrainingEvidence(NOW, 1, e.windows(), V1, e.captures(), e.labelled(),
                NOW.minus(Duration.ofMinutes(20)), null);
        RetrainingDecision d = policy().decide(recent);
        assertEquals(RetrainingDecision.Action.WAIT, d.action());
        assertEquals(600L, d.figures().get("cooldownRemainingSeconds"));
        RetrainingEvidence over = new RetrainingEvidence(NOW, 1, e.windows(), V1, e.captures(), e.labelled(),
                NOW.minus(Duration.ofMinutes(31)), null);
        assertEquals(RetrainingDecision.Action.RETRAIN, policy().decide(over).action());
    }

    @Test
    void dryRunDecidesTheSameAndSaysItWouldRetrain() {
        RetrainingDecision d = policy().withDryRun(true).decide(drifting());
        assertEquals(RetrainingDecision.Action.RETRAIN, d.action());
        assertTrue(d.reasons().get(d.reasons().size() - 1).startsWith("dry run: would retrain"), d.reasons().toString());
        assertEquals(policy().decide(drifting()).figures(), d.figures());
    }

    @Test
    void oneRetrainingAtATimeNoneWithoutProductionNoneWhenDisabled() {
        RetrainingEvidence e = drifting();
        RetrainingDecision busy = policy().decide(new RetrainingEvidence(NOW, 1, e.windows(), V1, e.captures(),
                e.labelled(), null, "d-1"));
        assertEquals(RetrainingDecision.Action.WAIT, busy.action());
        assertTrue(busy.reasons().get(0).contains("d-1 is still running"), busy.reasons().toString());
        RetrainingDecision noProduction = policy().decide(new RetrainingEvidence(NOW, null, e.windows(), V1,
                e.captures(), e.labelled(), null, null));
        assertEquals(RetrainingDecision.Action.WAIT, noProduction.action());
        RetrainingPolicy off = PolicyJson.parse(new ObjectMapper().createObjectNode().put("enabled", false));
        assertEquals(RetrainingDecision.Action.WAIT, off.decide(e).action());
    }

    @Test
    void theMixOversamplesCapturesToTheirShareAndHoldsOutTheRest() {
        DataMix.Plan plan = DataMix.DEFAULTS.plan(600, 54_000);
        assertEquals(180, plan.holdout());
        assertEquals(420, plan.trainCaptures());
        assertEquals(14, plan.repeats(), "0.1 * 54000 / (0.9 * 420) = 14.3");
        assertEquals(0.1, plan.capturedShare(), 0.01);
        DataMix capped = new DataMix("fashion-mnist:train", 0, 0.5, 0.5, 100);
        assertEquals(100, capped.plan(600, 1000).captures());
        assertEquals(20, capped.plan(600, 1000).repeats());
    }

    @Test
    void theGatePassesOnlyWhenBetterOnDriftedAndWithinTheCleanDrop() {
        GateSpec g = GateSpec.DEFAULTS;
        assertTrue(g.judge(0.74, 0.02, 300, 0.850, 0.855, 10000).passed(), "0.5 pp less on clean is allowed");
        GateSpec.Result cleanLoss = g.judge(0.74, 0.02, 300, 0.840, 0.855, 10000);
        assertFalse(cleanLoss.passed());
        assertTrue(cleanLoss.driftedPassed());
        assertFalse(g.judge(0.01, 0.02, 300, 0.86, 0.855, 10000).passed(), "worse on the drifted holdout");
        assertTrue(g.judge(0.02, 0.02, 300, 0.86, 0.855, 10000).passed(), "equal on drifted is not worse");
    }

    @Test
    void policyJsonRoundTripsAndRefusesUnknownOrBadFields() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String text = "{\"enabled\":true,\"dryRun\":true,\"minDriftedDevices\":2,\"minSamples\":500,\"minLabels\":200,"
                + "\"signal\":{\"maxEstimatedAccuracyDrop\":0.10,\"requireDriftedWindows\":1},\"cooldown\":\"PT30M\","
                + "\"mix\":{\"originalDataset\":\"fashion-mnist:train\",\"capturedFraction\":0.2,\"holdoutFraction\":0.3},"
                + "\"training\":{\"epochs\":2},\"gate\":{\"cleanDataset\":\"fashion-mnist:test\",\"maxCleanDrop\":0.01},"
                + "\"rollout\":{\"target\":{\"group\":\"demo\"},\"waves\":[{\"percent\":50},{\"percent\":100}]}}";
        RetrainingPolicy p = PolicyJson.parse(json.readTree(text));
        assertTrue(p.dryRun());
        assertEquals(0.2, p.mix().capturedFraction());
        assertEquals(Duration.ofMinutes(30), p.cooldown());
        assertEquals("demo", p.rollout().get("target").get("group").asText());
        assertEquals(p, PolicyJson.parse(PolicyJson.write(p)));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> PolicyJson.parse(json.readTree("{\"signal\":{\"maxEstimatedAcuracyDrop\":0.1}}")));
        assertTrue(typo.getMessage().contains("signal.maxEstimatedAcuracyDrop"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PolicyJson.parse(json.readTree("{\"cooldown\":\"30m\"}")));
        assertThrows(IllegalArgumentException.class, () -> PolicyJson.parse(json.readTree("{\"minLabels\":1}")));
        assertThrows(IllegalArgumentException.class, () -> PolicyJson.parse(json.readTree("{\"mix\":{\"holdoutFraction\":1}}")));
        assertThrows(IllegalArgumentException.class,
                () -> PolicyJson.parse(json.readTree("{\"rollout\":{\"package\":\"x:1\",\"target\":{\"group\":\"g\"}}}")));
    }
}
