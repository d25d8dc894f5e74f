package io.edgeloop.server.rollout.policy;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.edgeloop.server.rollout.policy.WavePlanTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExponentialRateTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void raisesByTheFactorEachTimeNotificationsPassAThreshold() {
        ExponentialRate rate = new ExponentialRate(10, 2, 50, 0, 1000);
        assertEquals(10, rate.ratePerMinute(0, 0));
        assertEquals(10, rate.ratePerMinute(49, 49));
        assertEquals(20, rate.ratePerMinute(50, 0));
        assertEquals(20, rate.ratePerMinute(99, 0));
        assertEquals(40, rate.ratePerMinute(100, 0));
        assertEquals(640, rate.ratePerMinute(300, 0));
        assertEquals(1000, rate.ratePerMinute(350, 0), "capped at maxPerMinute");
        assertEquals(1000, rate.ratePerMinute(Integer.MAX_VALUE, 0), "no overflow far past the cap");
    }

    @Test
    void successesRaiseOnTheirOwnThresholdAndTheFurtherCriterionCounts() {
        ExponentialRate bySuccess = new ExponentialRate(5, 3, 0, 10, 500);
        assertEquals(5, bySuccess.ratePerMinute(1000, 9), "notifications alone do not raise it");
        assertEquals(15, bySuccess.ratePerMinute(0, 10));
        assertEquals(45, bySuccess.ratePerMinute(0, 25));
        ExponentialRate both = new ExponentialRate(5, 2, 100, 10, 500);
        assertEquals(2, both.raises(250, 5), "notified 250 / 100");
        assertEquals(3, both.raises(250, 30), "succeeded 30 / 10, not 2 + 3");
        assertEquals(40, both.ratePerMinute(250, 30));
    }

    @Test
    void ratesAreFlooredWithoutFloatingPointDrift() {
        ExponentialRate rate = new ExponentialRate(10, 1.1, 1, 0, 1000);
        assertEquals(11, rate.ratePerMinute(1, 0));
        assertEquals(12, rate.ratePerMinute(2, 0), "12.1");
        assertEquals(13, rate.ratePerMinute(3, 0), "13.31");
        assertEquals(100, ExponentialRate.constant(100).ratePerMinute(10_000, 10_000));
    }

    @Test
    void quotaIsWhatIsLeftOfTheCurrentMinute() {
        ExponentialRate rate = new ExponentialRate(10, 2, 50, 0, 1000);
        assertEquals(10, rate.quota(T0, T0, 0, 0, 0));
        assertEquals(3, rate.quota(T0, T0.plusSeconds(30), 7, 7, 0));
        assertEquals(0, rate.quota(T0, T0.plusSeconds(59), 10, 10, 0));
        assertEquals(0, rate.quota(T0, T0.plusSeconds(59), 25, 25, 0), "never negative after a raise is undone");
        assertEquals(0, rate.quota(T0, T0.plusSeconds(60), 10, 10, 0), "a sliding caller's window: now - 1 min");
        assertEquals(10, rate.quota(T0, T0.plusMillis(60_001), 10, 10, 0), "a new minute after 60 s");
        assertEquals(20 - 12, rate.quota(T0, T0.plusSeconds(10), 12, 55, 0), "the raised rate applies at once");
        assertEquals(0, rate.quota(T0, T0.minusSeconds(5), 10, 10, 0), "a clock behind the window start is inside it");
        assertTrue(rate.windowExpired(T0, T0.plusMillis(60_001)));
        assertFalse(rate.windowExpired(T0, T0.plusSeconds(60)));
    }

    @Test
    void aThousandDevicesAtAThousandPerMinuteTakeOneMinute() {
        // Drive the quota the way an engine tick would, once a second, and count the minutes.
        ExponentialRate rate = new ExponentialRate(100, 2, 100, 0, 1000);
        Instant window = T0;
        int inWindow = 0;
        int notified = 0;
        Instant now = T0;
        while (notified < 1000) {
            if (rate.windowExpired(window, now)) {
                window = now;
                inWindow = 0;
            }
            int n = Math.min(1000 - notified, rate.quota(window, now, inWindow, notified, 0));
            inWindow += n;
            notified += n;
            now = now.plusSeconds(1);
        }
        // 100, then 200 (after 100 notified), 400, then the 1000 cap: the ramp fits in the first minute.
        assertEquals(1000, notified);
        assertTrue(now.isBefore(T0.plusSeconds(60)), "finished at " + now);
    }

    @Test
    void aSlidingCallerNeverExceedsTheRateInAnyMinute() {
        ExponentialRate rate = new ExponentialRate(30, 1.5, 40, 0, 200);
        java.util.List<Instant> sent = new java.util.ArrayList<>();
        Instant now = T0;
        for (int tick = 0; tick < 600; tick++) {
            Instant windowStart = now.minus(ExponentialRate.WINDOW);
            int inWindow = (int) sent.stream().filter(t -> !t.isBefore(windowStart)).count();
            int n = rate.quota(windowStart, now, inWindow, sent.size(), 0);
            for (int i = 0; i < n; i++) {
                sent.add(now);
            }
            now = now.plusMillis(700);
        }
        for (Instant start : sent) {
            Instant end = start.plus(ExponentialRate.WINDOW);
            long inMinute = sent.stream().filter(t -> !t.isBefore(start) && !t.isAfter(end)).count();
            int allowed = rate.ratePerMinute((int) sent.stream().filter(t -> !t.isAfter(end)).count(), 0);
            assertTrue(inMinute <= allowed, inMinute + " notified in the minute from " + start + ", rate " + allowed);
        }
        assertEquals(200, rate.ratePerMinute(sent.size(), 0), "the ramp reached its cap: " + sent.size());
    }

    @Test
    void refusesRatesThatCannotWork() {
        assertRefused(() -> new ExponentialRate(0, 2, 1, 0, 10), "basePerMinute", ">= 1");
        assertRefused(() -> new ExponentialRate(1, 0.5, 1, 0, 10), "incrementFactor", "[1.0, 10.0]");
        assertRefused(() -> new ExponentialRate(1, Double.NaN, 1, 0, 10), "incrementFactor", "NaN");
        assertRefused(() -> new ExponentialRate(1, 2, -1, 0, 10), "raiseOnNotified", ">= 0");
        assertRefused(() -> new ExponentialRate(1, 2, 0, -1, 10), "raiseOnSucceeded", ">= 0");
        assertRefused(() -> new ExponentialRate(20, 2, 0, 0, 10), "maxPerMinute", "basePerMinute");
        ExponentialRate rate = ExponentialRate.constant(1);
        assertRefused(() -> rate.quota(T0, T0, -1, 0, 0), "notifiedInWindow", ">= 0");
        assertRefused(() -> rate.quota(null, T0, 0, 0, 0), "windowStart", "missing");
        assertRefused(() -> rate.ratePerMinute(-1, 0), "notified", ">= 0");
    }
}
