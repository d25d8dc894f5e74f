package io.edgeloop.server.captures;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This replica's capture figures since start: captures and labels stored, duplicates skipped,
 * retention sweeps and what they deleted per reason, and the last sweep that deleted anything.
 */
public final class CaptureMetrics {
    final AtomicLong capturesStored = new AtomicLong();
    final AtomicLong captureDuplicates = new AtomicLong();
    final AtomicLong labelsStored = new AtomicLong();
    final AtomicLong labelsPending = new AtomicLong();
    final AtomicLong messagesReplayed = new AtomicLong();
    final AtomicLong sweeps = new AtomicLong();
    final AtomicLong deletedByAge = new AtomicLong();
    final AtomicLong deletedByDeviceQuota = new AtomicLong();
    final AtomicLong deletedByTotalQuota = new AtomicLong();
    final AtomicLong bytesFreed = new AtomicLong();
    final AtomicLong labelsExpired = new AtomicLong();
    final AtomicReference<RetentionSweep> lastDeleting = new AtomicReference<>();

    void swept(RetentionSweep s) {
        sweeps.incrementAndGet();
        deletedByAge.addAndGet(s.byAge());
        deletedByDeviceQuota.addAndGet(s.byDeviceQuota());
        deletedByTotalQuota.addAndGet(s.byTotalQuota());
        bytesFreed.addAndGet(s.bytesFreed());
        labelsExpired.addAndGet(s.pendingLabelsExpired());
        if (s.changed()) {
            lastDeleting.set(s);
        }
    }

    public long capturesStored() {
        return capturesStored.get();
    }

    /** Captures sent again (same device, model and request id) and skipped. */
    public long captureDuplicates() {
        return captureDuplicates.get();
    }

    public long labelsStored() {
        return labelsStored.get();
    }

    /** Labels stored before their capture arrived. */
    public long labelsPending() {
        return labelsPending.get();
    }

    /** Capture and label messages skipped as replays of a sequence number already seen. */
    public long messagesReplayed() {
        return messagesReplayed.get();
    }

    public long sweeps() {
        return sweeps.get();
    }

    public long deletedByAge() {
        return deletedByAge.get();
    }

    public long deletedByDeviceQuota() {
        return deletedByDeviceQuota.get();
    }

    public long deletedByTotalQuota() {
        return deletedByTotalQuota.get();
    }

    public long bytesFreed() {
        return bytesFreed.get();
    }

    public long labelsExpired() {
        return labelsExpired.get();
    }

    /** The last sweep that deleted something, or null. */
    public RetentionSweep lastDeletingSweep() {
        return lastDeleting.get();
    }
}
