package io.edgeloop.protocol.job;

/**
 * The steps an {@link JobExecutionState#IN_PROGRESS} execution goes through, in this order.
 * Updates carry the current step as {@code statusDetails.step}; a failure names the step it
 * happened in.
 */
public enum JobStep {
    /** Fetching the package over HTTP, resuming with range requests. */
    DOWNLOADING,
    /** Checking size, sha256 and the manifest signature. */
    VERIFYING,
    /** Unpacking into the model store beside the active version. */
    INSTALLING,
    /** Loading the new version and checking it on validation samples. */
    VALIDATING,
    /** Switching traffic to the new version. */
    ACTIVATING;

    /** The step after this one, or {@code null} after {@link #ACTIVATING}. */
    public JobStep next() {
        JobStep[] all = values();
        return ordinal() + 1 < all.length ? all[ordinal() + 1] : null;
    }
}
