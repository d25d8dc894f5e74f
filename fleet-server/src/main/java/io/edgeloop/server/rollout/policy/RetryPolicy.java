package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.job.JobExecutionState;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a device's execution that ended badly is tried again: up to {@code maxRetries} more
 * attempts, for the outcomes in {@code retryOn}. Only {@code FAILED} and {@code TIMED_OUT} can be
 * retried: a device that {@code REJECTED} a job refuses it again, and the other terminal states
 * are the server's own decisions.
 *
 * @param maxRetries attempts after the first, 0..{@value #MAX_RETRIES}
 * @param retryOn    the outcomes that are retried, a subset of {FAILED, TIMED_OUT}
 */
public record RetryPolicy(int maxRetries, Set<JobExecutionState> retryOn) {
    /** The most retries a rollout may ask for (as AWS IoT Jobs). */
    public static final int MAX_RETRIES = 10;
    /** The outcomes a retry may follow. */
    public static final Set<JobExecutionState> RETRYABLE =
            Set.copyOf(EnumSet.of(JobExecutionState.FAILED, JobExecutionState.TIMED_OUT));
    /** No retries. */
    public static final RetryPolicy NONE = new RetryPolicy(0, RETRYABLE);

    public RetryPolicy {
        PolicyChecks.between("retries", maxRetries, 0, MAX_RETRIES);
        PolicyChecks.present("retryOn", retryOn);
        for (JobExecutionState state : retryOn) {
            if (!RETRYABLE.contains(state)) {
                throw new InvalidFieldException("retryOn", "may hold FAILED and TIMED_OUT only, not " + state);
            }
        }
        retryOn = retryOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retryOn));
    }

    /** Up to {@code maxRetries} retries on FAILED or TIMED_OUT. */
    public static RetryPolicy of(int maxRetries) {
        return new RetryPolicy(maxRetries, RETRYABLE);
    }

    /**
     * Whether an execution that ended in {@code outcome} after {@code attemptsSoFar} attempts
     * (counting the one that just ended, so >= 1) gets another attempt.
     */
    public boolean shouldRetry(JobExecutionState outcome, int attemptsSoFar) {
        PolicyChecks.present("outcome", outcome);
        PolicyChecks.atLeast("attemptsSoFar", attemptsSoFar, 1);
        return retryOn.contains(outcome) && attemptsSoFar <= maxRetries;
    }
}
