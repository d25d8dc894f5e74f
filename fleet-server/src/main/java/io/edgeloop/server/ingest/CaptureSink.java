package io.edgeloop.server.ingest;

import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.LabelBatch;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Who stores the captured samples and labels the ingest receives (the capture store). {@link #apply}
 * runs inside the ingest batch's transaction, so a message is acknowledged to the broker only once
 * what it carried is committed; a failure rolls the batch back and the ingest retries it. What the
 * sink could never store is refused at decode time ({@link #problem}), so a retry cannot loop on it.
 */
public interface CaptureSink {
    /** Keeps nothing (the MQTT half without a capture store): captures and labels are dropped. */
    CaptureSink NONE = new CaptureSink() {
        @Override
        public String problem(CaptureBatch batch) {
            return null;
        }

        @Override
        public String problem(LabelBatch batch) {
            return null;
        }

        @Override
        public void apply(Connection c, List<CaptureBatch> captures, List<LabelBatch> labels) {
        }
    };

    /** What in {@code batch} cannot be stored, or null; a refused batch is rejected as malformed. */
    String problem(CaptureBatch batch);

    /** What in {@code batch} cannot be stored, or null. */
    String problem(LabelBatch batch);

    /** Stores the batches, in arrival order, on {@code c} (no commit), skipping replays by their seq. */
    void apply(Connection c, List<CaptureBatch> captures, List<LabelBatch> labels) throws SQLException;

    /** Called after the transaction of the last {@link #apply} with a non-empty list committed. */
    default void committed() {
    }
}
