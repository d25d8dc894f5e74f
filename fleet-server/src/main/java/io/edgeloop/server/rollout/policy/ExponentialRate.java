package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;

/**
 * How fast a rollout notifies devices, as AWS IoT Jobs' {@code jobExecutionsRolloutConfig}: it
 * starts at {@code basePerMinute} and is multiplied by {@code incrementFactor} each time the
 * notified count passes another multiple of {@code raiseOnNotified}, or the succeeded count
 * another multiple of {@code raiseOnSucceeded}, never above {@code maxPerMinute}.
 *
 * <p>With both criteria on, the rate is raised as many times as the criterion further along has
 * passed thresholds (not the sum of both): every succeeded device was notified first, so adding
 * them would count the same progress twice.
 *
 * @param basePerMinute     notifications per minute at the start, >= 1
 * @param incrementFactor   multiplier per raise, in [1, 10] (1 keeps the rate constant)
 * @param raiseOnNotified   raise after each this many notified devices; 0 = not on notifications
 * @param raiseOnSucceeded  raise after each this many succeeded devices; 0 = not on successes
 * @param maxPerMinute      ceiling, >= {@code basePerMinute}
 */
public record ExponentialRate(int basePerMinute, double incrementFactor, int raiseOnNotified, int raiseOnSucceeded,
                              int maxPerMinute) {
    /** The window {@link #quota} counts notifications in. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    public ExponentialRate {
        PolicyChecks.atLeast("basePerMinute", basePerMinute, 1);
        PolicyChecks.between("incrementFactor", incrementFactor, 1, 10);
        PolicyChecks.atLeast("raiseOnNotified", raiseOnNotified, 0);
        PolicyChecks.atLeast("raiseOnSucceeded", raiseOnSucceeded, 0);
        if (maxPerMinute < basePerMinute) {
            throw new InvalidFieldException("maxPerMinute", "must be >= basePerMinute (" + basePerMinute + "), was "
                    + maxPerMinute);
        }
    }

    /** A constant rate of {@code perMinute}. */
    public static ExponentialRate constant(int perMinute) {
        return new ExponentialRate(perMinute, 1, 0, 0, perMinute);
    }

    /** How many times the rate has been raised after {@code notified} and {@code succeeded} devices. */
    public int raises(int notified, int succeeded) {
        PolicyChecks.atLeast("notified", notified, 0);
        PolicyChecks.atLeast("succeeded", succeeded, 0);
        int byNotified = raiseOnNotified == 0 ? 0 : notified / raiseOnNotified;
        int bySucceeded = raiseOnSucceeded == 0 ? 0 : succeeded / raiseOnSucceeded;
        return Math.max(byNotified, bySucceeded);
    }

    /**
     * Notifications per minute after {@code notified} and {@code succeeded} devices:
     * {@code floor(base * factor^raises)}, at most {@code maxPerMinute}.
     */
    public int ratePerMinute(int notified, int succeeded) {
        int raises = raises(notified, succeeded);
        double rate = basePerMinute * Math.pow(incrementFactor, raises);
        // The tolerance keeps 10 * 1.1 * 1.1 (12.100000000000001 or 12.0999…) on the same side.
        return rate >= maxPerMinute ? maxPerMinute : (int) Math.floor(rate + 1e-9);
    }

    /**
     * How many more devices may be notified at {@code now}, given {@code notifiedInWindow}
     * notified at or after {@code windowStart}. Works for both ways of counting:
     * <ul>
     *   <li>sliding: {@code windowStart = now - 1 min} and the notifications of the last minute
     *       (never more than the rate in any minute);</li>
     *   <li>fixed: the start of the caller's current minute and its count; once
     *       {@link #windowExpired} the whole rate is available again and the caller restarts its
     *       window at {@code now} with a count of 0.</li>
     * </ul>
     * A {@code now} before {@code windowStart} (another replica's clock ahead of ours) counts as
     * inside the window, so a skew never grants a second minute's worth.
     *
     * @return >= 0
     */
    public int quota(Instant windowStart, Instant now, int notifiedInWindow, int notified, int succeeded) {
        PolicyChecks.atLeast("notifiedInWindow", notifiedInWindow, 0);
        int rate = ratePerMinute(notified, succeeded);
        if (windowExpired(windowStart, now)) {
            return rate;
        }
        return Math.max(0, rate - notifiedInWindow);
    }

    /** Whether the minute that began at {@code windowStart} is over at {@code now} (more than a minute later). */
    public boolean windowExpired(Instant windowStart, Instant now) {
        PolicyChecks.present("windowStart", windowStart);
        PolicyChecks.present("now", now);
        return now.isAfter(windowStart.plus(WINDOW));
    }
}
