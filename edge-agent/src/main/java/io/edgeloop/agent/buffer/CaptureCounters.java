package io.edgeloop.agent.buffer;

import java.util.concurrent.atomic.AtomicLong;

/** What the capture uploader moved to the fleet since start, for {@code /metrics}. */
public final class CaptureCounters {
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong labelsSent = new AtomicLong();
    private final AtomicLong labelsOnCaptures = new AtomicLong();
    private final AtomicLong labelsDropped = new AtomicLong();

    /** Captures put into the outbox in capture batches. */
    public long uploaded() {
        return uploaded.get();
    }

    /** Captures never sent: evicted or expired before upload, unreadable, or too large for a batch. */
    public long skipped() {
        return skipped.get();
    }

    /** Capture batches put into the outbox. */
    public long batches() {
        return batches.get();
    }

    /** Labels sent in label batches. */
    public long labelsSent() {
        return labelsSent.get();
    }

    /** Labels that went on their capture, which was not uploaded yet when they came. */
    public long labelsOnCaptures() {
        return labelsOnCaptures.get();
    }

    /** Feedback labels not kept for the fleet (the pending store was full). */
    public long labelsDropped() {
        return labelsDropped.get();
    }

    public void addUploaded(long n) {
        uploaded.addAndGet(n);
    }

    public void addSkipped(long n) {
        skipped.addAndGet(n);
    }

    public void addBatch() {
        batches.incrementAndGet();
    }

    public void addLabelsSent(long n) {
        labelsSent.addAndGet(n);
    }

    public void addLabelsOnCaptures(long n) {
        labelsOnCaptures.addAndGet(n);
    }

    public void addLabelDropped() {
        labelsDropped.incrementAndGet();
    }
}
