package io.edgeloop.server.captures;

import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.server.ingest.CaptureSink;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The telemetry ingest's way into the {@link CaptureStore}: capture and label messages are written
 * in the ingest batch's transaction, skipping a (device, stream, seq) already seen, so a message
 * redelivered by the broker or replayed from an agent's outbox is stored once; after the commit
 * the store counts what was new and the {@link CaptureHousekeeping} checks the quotas. One ingest
 * writer thread calls it.
 */
public final class CaptureIngestSink implements CaptureSink {
    private final CaptureStore store;
    private final CaptureHousekeeping housekeeping;
    private CaptureStore.Written pending;

    public CaptureIngestSink(CaptureStore store, CaptureHousekeeping housekeeping) {
        this.store = store;
        this.housekeeping = housekeeping;
    }

    @Override
    public String problem(CaptureBatch batch) {
        return CaptureLimits.problem(batch);
    }

    @Override
    public String problem(LabelBatch batch) {
        return CaptureLimits.problem(batch);
    }

    @Override
    public void apply(Connection c, List<CaptureBatch> captures, List<LabelBatch> labels) throws SQLException {
        // A batch rolled back and retried calls this again; only the last call's figures count.
        pending = store.write(c, captures, labels, true);
    }

    @Override
    public void committed() {
        CaptureStore.Written w = pending;
        pending = null;
        if (w != null) {
            store.committed(w);
            if (w.captures() > 0) {
                housekeeping.inserted(w.devices());
            }
        }
    }
}
