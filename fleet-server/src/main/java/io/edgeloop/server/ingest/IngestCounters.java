package io.edgeloop.server.ingest;

import java.util.concurrent.atomic.AtomicLong;

/** This replica's ingest figures since start: arrivals, new rows, duplicates, rejects, batches. */
public final class IngestCounters {
    final AtomicLong received = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong retries = new AtomicLong();

    public long received() {
        return received.get();
    }

    /** Telemetry rows this replica inserted (a replay that was already stored is not counted). */
    public long stored() {
        return stored.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long batches() {
        return batches.get();
    }

    /** Batches written again after a database failure. */
    public long retries() {
        return retries.get();
    }
}
