package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;
import java.util.Locale;

/**
 * When a wave aborts, in the manner of AWS IoT Jobs' {@code abortConfig}: once at least
 * {@code minExecuted} executions are terminal, the wave aborts when the failures of {@code type}
 * reach {@code thresholdPercent} of the executed ones.
 *
 * @param type             which outcomes count as failures
 * @param thresholdPercent failures as a percentage of executed executions that trips the abort, in (0, 100]
 * @param minExecuted      terminal executions needed before the criteria can trip, >= 1
 */
public record AbortCriteria(FailureType type, double thresholdPercent, int minExecuted) {
    /** Any failure kind, 20 % of executed, from the first executed device on. */
    public static final AbortCriteria DEFAULT = new AbortCriteria(FailureType.ALL, 20, 1);

    public AbortCriteria {
        PolicyChecks.present("failureType", type);
        PolicyChecks.between("thresholdPercent", thresholdPercent, 0, 100);
        if (thresholdPercent == 0) {
            throw new InvalidFieldException("thresholdPercent",
                    "must be > 0 (0 would abort on the first execution, failed or not)");
        }
        PolicyChecks.atLeast("minExecuted", minExecuted, 1);
    }

    /** Whether {@code counts} trip the abort. */
    public boolean tripped(ExecutionCounts counts) {
        int executed = PolicyChecks.present("counts", counts).executed();
        if (executed < minExecuted) {
            return false;
        }
        // Compared as products, not as a quotient: 1 of 5 at 20 % trips without a division's rounding.
        return counts.failures(type) * 100.0 >= thresholdPercent * executed;
    }

    /** A sentence with the figures behind {@link #tripped}, for rollout events. */
    public String describe(ExecutionCounts counts) {
        int executed = counts.executed();
        int failures = counts.failures(type);
        double percent = executed == 0 ? 0 : failures * 100.0 / executed;
        return String.format(Locale.ROOT, "%d of %d executed are %s (%.1f %%); aborts at %s %% once %d executed",
                failures, executed, type == FailureType.ALL ? "failures" : type.name(), percent,
                trim(thresholdPercent), minExecuted);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
