package io.edgeloop.server.ingest;

import io.edgeloop.protocol.message.JobExecutionUpdate;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Who consumes the job execution updates the ingest receives (the rollout engine). {@link #apply}
 * runs inside the ingest batch's transaction, so an update is acknowledged to the broker only once
 * what it changed is committed; a failure rolls the batch back and the ingest retries it.
 */
public interface JobUpdateSink {
    /** Drops every update (the MQTT half without a rollout engine). */
    JobUpdateSink NONE = (c, updates) -> { };

    /** Applies {@code updates}, in arrival order, on {@code c} (no commit). */
    void apply(Connection c, List<JobExecutionUpdate> updates) throws SQLException;

    /** Called after the transaction that applied a non-empty list committed. */
    default void committed() {
    }
}
