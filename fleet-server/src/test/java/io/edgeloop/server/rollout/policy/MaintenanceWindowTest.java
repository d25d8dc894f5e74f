package io.edgeloop.server.rollout.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Random;

import static io.edgeloop.server.rollout.policy.WavePlanTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaintenanceWindowTest {
    /** 2026-12-01 is a Tuesday. */
    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    private static Optional<Instant> next(String cron, String from) {
        return CronSchedule.parse("cron", cron).next(at(from));
    }

    @Test
    void nightlyWindowIsOpenFromItsMinuteForItsDuration() {
        MaintenanceWindow w = new MaintenanceWindow("0 2 * * *", Duration.ofMinutes(120));
        assertFalse(w.isOpen(at("2026-12-01T01:59:59Z")));
        assertTrue(w.isOpen(at("2026-12-01T02:00:00Z")));
        assertTrue(w.isOpen(at("2026-12-01T03:59:59.999Z")));
        assertFalse(w.isOpen(at("2026-12-01T04:00:00Z")));
        assertEquals(Optional.of(at("2026-12-01T02:00:00Z")), w.nextOpening(at("2026-12-01T01:00:00Z")));
        assertEquals(Optional.of(at("2026-12-02T02:00:00Z")), w.nextOpening(at("2026-12-01T02:00:00Z")),
                "strictly after");
        assertEquals(Optional.of(at("2026-12-01T02:00:00Z")), w.openingCovering(at("2026-12-01T03:10:00Z")));
        assertEquals(Optional.of(at("2026-12-01T04:00:00Z")), w.closesAt(at("2026-12-01T03:10:00Z")));
        assertEquals(Optional.empty(), w.closesAt(at("2026-12-01T05:00:00Z")));
    }

    @Test
    void windowsCrossMidnightAndMonthAndYearEnds() {
        MaintenanceWindow w = new MaintenanceWindow("30 23 31 12 *", Duration.ofHours(2));
        assertTrue(w.isOpen(at("2027-01-01T01:00:00Z")));
        assertFalse(w.isOpen(at("2027-01-01T01:30:00Z")));
        assertEquals(Optional.of(at("2026-12-31T23:30:00Z")), w.nextOpening(at("2026-12-01T00:00:00Z")));
    }

    @Test
    void stepsRangesListsAndNames() {
        assertEquals(Optional.of(at("2026-12-01T10:15:00Z")), next("*/15 * * * *", "2026-12-01T10:07:00Z"));
        assertEquals(Optional.of(at("2026-12-01T10:07:00Z")), next("*/1 * * * *", "2026-12-01T10:07:00Z"),
                "at or after, on the minute");
        assertEquals(Optional.of(at("2026-12-01T10:08:00Z")), next("* * * * *", "2026-12-01T10:07:00.001Z"));
        assertEquals(Optional.of(at("2026-12-01T10:25:00Z")), next("5/20 * * * *", "2026-12-01T10:06:00Z"));
        assertEquals(Optional.of(at("2026-12-01T11:05:00Z")), next("5/20 * * * *", "2026-12-01T10:46:00Z"));
        // Weekdays at 9, 13 and 17: after Friday 17:00 comes Monday 09:00.
        assertEquals(Optional.of(at("2026-12-07T09:00:00Z")), next("0 9-17/4 * * MON-FRI", "2026-12-04T17:00:01Z"));
        assertEquals(Optional.of(at("2026-12-04T13:00:00Z")), next("0 9-17/4 * * mon-fri", "2026-12-04T09:30:00Z"));
        assertEquals(Optional.of(at("2027-01-01T00:00:00Z")), next("0 0 1 JAN,jul *", "2026-12-01T00:00:00Z"));
        assertEquals(Optional.of(at("2026-12-01T07:15:00Z")), next("15,45 3,7 * * *", "2026-12-01T03:46:00Z"));
    }

    @Test
    void sundayIsZeroOrSeven() {
        assertEquals(Optional.of(at("2026-12-06T00:00:00Z")), next("0 0 * * 7", "2026-12-01T00:00:00Z"));
        assertEquals(Optional.of(at("2026-12-06T00:00:00Z")), next("0 0 * * 0", "2026-12-01T00:00:00Z"));
        assertEquals(Optional.of(at("2026-12-05T00:00:00Z")), next("0 0 * * 6-7", "2026-12-01T00:00:00Z"));
        assertEquals(Optional.of(at("2026-12-06T00:00:00Z")), next("0 0 * * SUN", "2026-12-01T00:00:00Z"));
    }

    @Test
    void bothDayFieldsRestrictedMatchEitherAsInVixieCron() {
        // The 13th or any Friday: Friday 4 December comes first.
        assertEquals(Optional.of(at("2026-12-04T00:00:00Z")), next("0 0 13 * 5", "2026-12-01T00:00:00Z"));
        // A starred day-of-week leaves the day of month alone.
        assertEquals(Optional.of(at("2026-12-13T00:00:00Z")), next("0 0 13 * *", "2026-12-01T00:00:00Z"));
        // A stepped '*' still counts as unrestricted: both must match (odd days that are Fridays).
        assertEquals(Optional.of(at("2026-12-11T00:00:00Z")), next("0 0 */2 * 5", "2026-12-01T00:00:00Z"));
    }

    @Test
    void leapDaysComeRoundAndImpossibleDatesNeverDo() {
        assertEquals(Optional.of(at("2028-02-29T00:00:00Z")), next("0 0 29 2 *", "2026-03-01T00:00:00Z"));
        MaintenanceWindow never = new MaintenanceWindow("0 0 30 2 *", Duration.ofHours(1));
        assertEquals(Optional.empty(), never.nextOpening(at("2026-12-01T00:00:00Z")));
        assertFalse(never.isOpen(at("2027-02-28T00:30:00Z")));
    }

    @Test
    void overlappingWindowsJoin() {
        MaintenanceWindow hourly = new MaintenanceWindow("0 * * * *", Duration.ofMinutes(90));
        assertTrue(hourly.isOpen(at("2026-12-01T10:59:00Z")));
        assertEquals(Optional.of(at("2026-12-01T10:00:00Z").plus(MaintenanceWindow.MAX_DURATION)),
                hourly.closesAt(at("2026-12-01T10:00:00Z")), "always open: the horizon");
        MaintenanceWindow twice = new MaintenanceWindow("0 1,2 * * *", Duration.ofMinutes(90));
        assertEquals(Optional.of(at("2026-12-01T03:30:00Z")), twice.closesAt(at("2026-12-01T01:10:00Z")));
        MaintenanceWindow touching = new MaintenanceWindow("0 1,2 * * *", Duration.ofMinutes(60));
        assertEquals(Optional.of(at("2026-12-01T03:00:00Z")), touching.closesAt(at("2026-12-01T01:10:00Z")),
                "a window opening as the last closes continues it");
    }

    @Test
    void nextAgreesWithAMinuteByMinuteScan() {
        String[] expressions = {"*/7 * * * *", "0 */5 * * *", "15 3 * * 1-5", "0 0 1,15 * *", "30 2 * 2,3 *",
            "0 0 13 * 5", "*/20 8-10 * * SAT,SUN", "5-10/2 */6 */3 * *", "0 12 31 * *", "59 23 * * 0"};
        Random rnd = new Random(3);
        for (String expression : expressions) {
            CronSchedule cron = CronSchedule.parse("cron", expression);
            for (int trial = 0; trial < 20; trial++) {
                Instant from = at("2026-01-01T00:00:00Z").plusSeconds(rnd.nextInt(366 * 24 * 3600));
                LocalDateTime t = LocalDateTime.ofInstant(from, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
                if (!t.toInstant(ZoneOffset.UTC).equals(from)) {
                    t = t.plusMinutes(1);
                }
                int guard = 0;
                while (!cron.matches(t) && guard++ < 2 * 366 * 24 * 60) {
                    t = t.plusMinutes(1);
                }
                assertEquals(Optional.of(t.toInstant(ZoneOffset.UTC)), cron.next(from), expression + " from " + from);
            }
        }
    }

    @Test
    void badExpressionsNameThePartAtFault() {
        assertRefused(() -> new MaintenanceWindow("0 2 * *", Duration.ofHours(1)), "cron", "4 fields");
        assertRefused(() -> new MaintenanceWindow("", Duration.ofHours(1)), "cron", "0 fields");
        assertRefused(() -> new MaintenanceWindow(null, Duration.ofHours(1)), "cron", "missing");
        assertRefused(() -> new MaintenanceWindow("60 * * * *", Duration.ofHours(1)), "cron", "minute 60 is outside 0..59");
        assertRefused(() -> new MaintenanceWindow("* 24 * * *", Duration.ofHours(1)), "cron", "hour 24");
        assertRefused(() -> new MaintenanceWindow("* * 0 * *", Duration.ofHours(1)), "cron", "day-of-month 0");
        assertRefused(() -> new MaintenanceWindow("* * * 13 *", Duration.ofHours(1)), "cron", "month 13");
        assertRefused(() -> new MaintenanceWindow("* * * * 8", Duration.ofHours(1)), "cron", "day-of-week 8");
        assertRefused(() -> new MaintenanceWindow("5-1 * * * *", Duration.ofHours(1)), "cron", "backwards");
        assertRefused(() -> new MaintenanceWindow("*/0 * * * *", Duration.ofHours(1)), "cron", "minute 0 is outside 1..60");
        assertRefused(() -> new MaintenanceWindow("a * * * *", Duration.ofHours(1)), "cron", "'a' is not a number");
        assertRefused(() -> new MaintenanceWindow("1,,2 * * * *", Duration.ofHours(1)), "cron", "empty list item");
        assertRefused(() -> new MaintenanceWindow("* * * FOO *", Duration.ofHours(1)), "cron", "'FOO'");
    }

    @Test
    void durationIsAMinuteToAYear() {
        assertRefused(() -> new MaintenanceWindow("0 2 * * *", Duration.ofSeconds(59)), "duration", "1 minute");
        assertRefused(() -> new MaintenanceWindow("0 2 * * *", Duration.ofDays(367)), "duration", "366 days");
        assertRefused(() -> new MaintenanceWindow("0 2 * * *", null), "duration", "missing");
        MaintenanceWindow minute = new MaintenanceWindow("  0 2 * * *  ", Duration.ofMinutes(1));
        assertEquals("0 2 * * *", minute.cron(), "kept stripped");
        assertTrue(minute.isOpen(at("2026-12-01T02:00:59Z")));
        assertFalse(minute.isOpen(at("2026-12-01T02:01:00Z")));
    }
}
