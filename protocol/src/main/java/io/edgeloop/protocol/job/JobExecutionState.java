package io.edgeloop.protocol.job;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one device stands on one job, in the AWS IoT Jobs vocabulary:
 * {@code QUEUED → IN_PROGRESS → SUCCEEDED | FAILED | REJECTED | TIMED_OUT | CANCELED}, plus
 * {@code ROLLED_BACK}. The agent and the server both use {@link #canMoveTo} so that a replayed or
 * reordered update can never move an execution backwards.
 */
public enum JobExecutionState {
    /** Sent to the device; it has not started. */
    QUEUED,
    /** The device is working through the {@link JobStep}s. */
    IN_PROGRESS,
    /** The new version is active. */
    SUCCEEDED,
    /** A step failed; the previous version stays active. */
    FAILED,
    /** The device refused the job (e.g. no variant suits it, or the document is invalid). */
    REJECTED,
    /** The job passed its deadline before finishing. */
    TIMED_OUT,
    /** The server withdrew the job. */
    CANCELED,
    /** The new version was activated, then reverted to the previous one. */
    ROLLED_BACK;

    /**
     * True when the device has finished with the job. The one move out of a terminal state is
     * {@code SUCCEEDED → ROLLED_BACK}: a failed health gate reverts devices that had succeeded.
     */
    public boolean isTerminal() {
        return this != QUEUED && this != IN_PROGRESS;
    }

    /**
     * Whether an execution in this state may next report {@code next}. {@code IN_PROGRESS →
     * IN_PROGRESS} is legal: each step reports progress in the same state.
     */
    public boolean canMoveTo(JobExecutionState next) {
        return next != null && successors().contains(next);
    }

    /** The states this one may move to. */
    public Set<JobExecutionState> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(IN_PROGRESS, REJECTED, TIMED_OUT, CANCELED);
            case IN_PROGRESS -> EnumSet.of(IN_PROGRESS, SUCCEEDED, FAILED, REJECTED, TIMED_OUT, CANCELED,
                    ROLLED_BACK);
            case SUCCEEDED -> EnumSet.of(ROLLED_BACK);
            case FAILED, REJECTED, TIMED_OUT, CANCELED, ROLLED_BACK -> EnumSet.noneOf(JobExecutionState.class);
        };
    }
}
