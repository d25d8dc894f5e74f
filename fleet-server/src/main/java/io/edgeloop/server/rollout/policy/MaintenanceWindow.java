package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a rollout may notify devices: windows that open at each minute a five-field UTC cron
 * expression matches ({@link CronSchedule}) and stay open for {@code duration}. Windows that
 * overlap (a duration longer than the gap between openings) join into one.
 *
 * @param cron     {@code minute hour day-of-month month day-of-week}, UTC, e.g. {@code 0 2 * * *}
 * @param duration how long each window stays open, 1 minute to 366 days
 */
public record MaintenanceWindow(String cron, Duration duration) {
    /** The longest window. */
    public static final Duration MAX_DURATION = Duration.ofDays(366);

    public MaintenanceWindow {
        cron = CronSchedule.parse("cron", cron).toString();
        PolicyChecks.present("duration", duration);
        if (duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new InvalidFieldException("duration", "must be from 1 minute to 366 days, was " + duration);
        }
    }

    private CronSchedule schedule() {
        return CronSchedule.parse("cron", cron);
    }

    /** Whether a window is open at {@code at}: some opening {@code s} has {@code s <= at < s + duration}. */
    public boolean isOpen(Instant at) {
        return openingCovering(PolicyChecks.present("at", at)).isPresent();
    }

    /** The earliest opening whose window covers {@code at}, or empty when none is open. */
    public Optional<Instant> openingCovering(Instant at) {
        PolicyChecks.present("at", at);
        // Openings after at - duration and not after at are the ones still open at 'at'.
        return schedule().next(at.minus(duration).plusNanos(1)).filter(s -> !s.isAfter(at));
    }

    /** The first opening strictly after {@code after}, or empty when the expression never matches. */
    public Optional<Instant> nextOpening(Instant after) {
        return schedule().next(PolicyChecks.present("after", after).plusNanos(1));
    }

    /**
     * When the window open at {@code at} closes, overlapping windows counted as one; empty when
     * none is open. Looks at most {@link #MAX_DURATION} past {@code at}: a schedule whose windows
     * always overlap reports that horizon.
     */
    public Optional<Instant> closesAt(Instant at) {
        Optional<Instant> covering = openingCovering(at);
        if (covering.isEmpty()) {
            return Optional.empty();
        }
        CronSchedule schedule = schedule();
        Instant opening = covering.get();
        Instant end = opening.plus(duration);
        Instant horizon = at.plus(MAX_DURATION);
        while (end.isBefore(horizon)) {
            // An opening before the current end extends the window.
            Optional<Instant> later = schedule.next(opening.plusNanos(1));
            if (later.isEmpty() || later.get().isAfter(end)) {
                return Optional.of(end);
            }
            opening = later.get();
            end = opening.plus(duration);
        }
        return Optional.of(horizon);
    }
}
