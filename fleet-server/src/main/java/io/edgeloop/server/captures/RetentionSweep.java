package io.edgeloop.server.captures;

/**
 * What one retention sweep deleted: captures past the maximum age, over a device's quota and over
 * the total quota (oldest first, unlabelled before labelled), the input bytes that freed, and the
 * labels that waited for a capture longer than the maximum age.
 */
public record RetentionSweep(long atMillis, int byAge, int byDeviceQuota, int byTotalQuota, long bytesFreed,
                             int pendingLabelsExpired) {
    /** Captures deleted, for every reason. */
    public int deleted() {
        return byAge + byDeviceQuota + byTotalQuota;
    }

    /** Whether the sweep changed anything (then it is audited). */
    public boolean changed() {
        return deleted() > 0 || pendingLabelsExpired > 0;
    }
}
