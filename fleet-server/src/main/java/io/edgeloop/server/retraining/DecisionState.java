package io.edgeloop.server.retraining;

/**
 * Where a retraining decision got to: DECIDED (recorded; WAIT and dry-run decisions stay here),
 * TRAINING, GATED (the candidate passed), REJECTED (it did not), ROLLING_OUT, and the ends DONE
 * and FAILED.
 */
public enum DecisionState {
    DECIDED, TRAINING, GATED, REJECTED, ROLLING_OUT, DONE, FAILED;

    /** Whether a retraining in this state still holds the one retraining slot. */
    public boolean running() {
        return this == TRAINING || this == GATED || this == ROLLING_OUT;
    }
}
