package io.edgeloop.protocol.job;

/**
 * Where a rollout stands. {@code SCHEDULED} and {@code AWAITING_APPROVAL} wait to start;
 * {@code RUNNING} notifies devices wave by wave; {@code PAUSED} notifies no one new while
 * executions in flight finish; {@code ROLLING_BACK} has stopped notifying and is taking every
 * device that took the version back to its previous one. The rest are terminal.
 */
public enum RolloutState {
    /** Waiting for its start time (or for its first tick). */
    SCHEDULED,
    /** Waiting for an admin to approve it. */
    AWAITING_APPROVAL,
    /** Notifying devices wave by wave. */
    RUNNING,
    /** Halted by an operator: no new notifications until resumed. */
    PAUSED,
    /** A gate was breached or the rollout aborted: devices that took the version are reverted. */
    ROLLING_BACK,
    /** Every device that took the version was told to revert after a quality-gate breach. */
    ROLLED_BACK,
    /** Every wave met its success threshold (and gate). */
    SUCCEEDED,
    /** A wave's abort criteria tripped, or its success threshold could not be met. */
    ABORTED,
    /** Canceled by an operator, or superseded by a newer rollout of the same model. */
    CANCELED;

    /** True once the rollout will do nothing more. */
    public boolean isTerminal() {
        return this == ROLLED_BACK || this == SUCCEEDED || this == ABORTED || this == CANCELED;
    }
}
