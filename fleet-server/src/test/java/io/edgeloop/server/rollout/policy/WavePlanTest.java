package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WavePlanTest {
    private static WaveSpec wave(int percent) {
        return WaveDefaults.DEFAULT.wave(percent);
    }

    @Test
    void fromPercentsGivesWavesWithTheDefaults() {
        WaveDefaults defaults = new WaveDefaults(0.9, new AbortCriteria(FailureType.FAILED, 10, 5), Duration.ofMinutes(3));
        WavePlan plan = WavePlan.fromPercents(" 10, 50 ,100", defaults);
        assertEquals(3, plan.size());
        assertEquals("10,50,100", plan.percents());
        for (WaveSpec w : plan.waves()) {
            assertEquals(0.9, w.successThreshold());
            assertEquals(defaults.abort(), w.abort());
            assertEquals(Duration.ofMinutes(3), w.soak());
        }
        assertEquals(50, plan.wave(1).percent());
        assertEquals(List.of(100), WavePlan.fromPercents("100").waves().stream().map(WaveSpec::percent).toList());
    }

    @Test
    void percentsMustIncreaseStrictlyAndEndAtOneHundred() {
        assertRefused(() -> WavePlan.of(List.of(wave(10), wave(10), wave(100))), "waves[1].percent", "greater");
        assertRefused(() -> WavePlan.of(List.of(wave(50), wave(20), wave(100))), "waves[1].percent", "cumulative");
        assertRefused(() -> WavePlan.of(List.of(wave(10), wave(50))), "waves[1].percent", "100");
        assertRefused(() -> WavePlan.of(List.of()), "waves", "at least one");
        assertRefused(() -> WavePlan.of(Arrays.asList(wave(10), null)), "waves[1]", "missing");
        assertRefused(() -> wave(0), "percent", "1..100");
        assertRefused(() -> wave(101), "percent", "1..100");
        List<WaveSpec> many = new ArrayList<>();
        for (int p = 1; p <= 100; p++) {
            many.add(wave(p));
        }
        assertEquals(100, WavePlan.of(many).size());
    }

    @Test
    void badPercentTextNamesTheItem() {
        assertRefused(() -> WavePlan.fromPercents("10,,100"), "wavePercents", "item 2");
        assertRefused(() -> WavePlan.fromPercents("ten,100"), "wavePercents", "'ten'");
        assertRefused(() -> WavePlan.fromPercents("10.5,100"), "wavePercents", "whole");
        assertRefused(() -> WavePlan.fromPercents("0,100"), "wavePercents", "1..100");
        assertRefused(() -> WavePlan.fromPercents("10,150"), "wavePercents", "1..100");
        assertRefused(() -> WavePlan.fromPercents("10,5,100"), "waves[1].percent", "greater");
        assertRefused(() -> WavePlan.fromPercents("10,50"), "waves[1].percent", "100");
        assertRefused(() -> WavePlan.fromPercents(""), "wavePercents", "item 1");
    }

    @Test
    void waveSpecRefusesOutOfRangeFields() {
        assertRefused(() -> new WaveSpec(10, 1.5, AbortCriteria.DEFAULT, Duration.ZERO), "successThreshold", "[0.0, 1.0]");
        assertRefused(() -> new WaveSpec(10, Double.NaN, AbortCriteria.DEFAULT, Duration.ZERO), "successThreshold", "NaN");
        assertRefused(() -> new WaveSpec(10, 1, null, Duration.ZERO), "abort", "missing");
        assertRefused(() -> new WaveSpec(10, 1, AbortCriteria.DEFAULT, Duration.ofSeconds(-1)), "soak", ">= 0");
    }

    @Test
    void targetsRoundUpGiveEachWaveADeviceAndStopAtTheFleetSize() {
        WavePlan plan = WavePlan.fromPercents("10,50,100");
        assertArrayEquals(new int[]{0, 0, 0}, plan.cumulativeTargets(0));
        assertArrayEquals(new int[]{1, 1, 1}, plan.cumulativeTargets(1));
        assertArrayEquals(new int[]{1, 2, 3}, plan.cumulativeTargets(3));
        assertArrayEquals(new int[]{1, 4, 7}, plan.cumulativeTargets(7));     // ceil(0.7), ceil(3.5)
        assertArrayEquals(new int[]{1, 5, 10}, plan.cumulativeTargets(10));
        assertArrayEquals(new int[]{2, 10, 20}, plan.cumulativeTargets(20));
        assertArrayEquals(new int[]{100, 500, 1000}, plan.cumulativeTargets(1000));
        assertArrayEquals(new int[]{1, 2, 2, 2}, WavePlan.fromPercents("10,20,30,100").cumulativeTargets(2));
        assertArrayEquals(new int[]{1, 2, 3, 4}, WavePlan.fromPercents("1,2,3,100").cumulativeTargets(4));
        // No int overflow on a large fleet.
        assertArrayEquals(new int[]{21474837, Integer.MAX_VALUE},
                WavePlan.fromPercents("1,100").cumulativeTargets(Integer.MAX_VALUE));
        assertRefused(() -> plan.cumulativeTargets(-1), "fleetSize", ">= 0");
        assertArrayEquals(new int[]{1, 3, 3}, plan.waveSizes(7));
        assertArrayEquals(new int[]{1, 1, 0, 0}, WavePlan.fromPercents("10,20,30,100").waveSizes(2));
    }

    @Test
    void targetsHoldTheirRulesForEveryFleetSizeAndManyPlans() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            List<WaveSpec> waves = new ArrayList<>();
            int p = 0;
            while (p < 100) {
                p = Math.min(100, p + 1 + rnd.nextInt(40));
                waves.add(wave(p));
            }
            WavePlan plan = WavePlan.of(waves);
            for (int n = 0; n <= 300; n++) {
                int[] t = plan.cumulativeTargets(n);
                assertEquals(n, t[t.length - 1]);
                int previous = 0;
                for (int i = 0; i < t.length; i++) {
                    int share = (plan.wave(i).percent() * n + 99) / 100;
                    assertTrue(t[i] >= share && t[i] <= n, plan.percents() + " on " + n + ": " + Arrays.toString(t));
                    if (previous < n) {
                        assertTrue(t[i] > previous, "wave " + i + " adds a device: " + Arrays.toString(t));
                    }
                    assertTrue(t[i] >= previous);
                    previous = t[i];
                }
            }
        }
    }

    @Test
    void requiredSuccessesRoundUpWithoutFloatingPointSurprises() {
        assertEquals(7, new WaveSpec(10, 0.7, AbortCriteria.DEFAULT, Duration.ZERO).requiredSuccesses(10));
        assertEquals(10, new WaveSpec(10, 0.95, AbortCriteria.DEFAULT, Duration.ZERO).requiredSuccesses(10));
        assertEquals(2, new WaveSpec(10, 0.5, AbortCriteria.DEFAULT, Duration.ZERO).requiredSuccesses(3));
        assertEquals(3, new WaveSpec(10, 1.0, AbortCriteria.DEFAULT, Duration.ZERO).requiredSuccesses(3));
        assertEquals(0, new WaveSpec(10, 0.0, AbortCriteria.DEFAULT, Duration.ZERO).requiredSuccesses(3));
        assertEquals(0, new WaveSpec(10, 1.0, AbortCriteria.DEFAULT, Duration.ZERO).requiredSuccesses(0));
        WaveSpec most = new WaveSpec(10, 0.8, AbortCriteria.DEFAULT, Duration.ZERO);
        assertTrue(most.successMet(new ExecutionCounts(0, 1, 4, 0, 0, 0, 0, 0), 5));
        assertFalse(most.successMet(new ExecutionCounts(0, 2, 3, 0, 0, 0, 0, 0), 5));
    }

    static void assertRefused(Runnable action, String field, String mention) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, action::run);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(mention), e.getMessage());
    }
}
