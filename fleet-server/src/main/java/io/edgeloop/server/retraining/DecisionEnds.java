package io.edgeloop.server.retraining;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

/** Ends a retraining decision in a final state and audits it ({@code retraining.end}). */
final class DecisionEnds {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RetrainingStore store;
    private final AuditLog audit;
    private final Clock clock;

    DecisionEnds(RetrainingStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    void end(String id, String model, DecisionState state, String progress, String error) throws EdgeLoopException {
        store.db().transaction(c -> {
            end(c, id, model, state, progress, error);
            return null;
        });
    }

    /** The same inside the caller's transaction. */
    void end(Connection c, String id, String model, DecisionState state, String progress, String error)
            throws SQLException, EdgeLoopException {
        store.update(c, id, clock.millis(), RetrainingJob.columns("state", state, "progress", progress, "error", error));
        ObjectNode after = JSON.createObjectNode();
        after.put("decisionId", id).put("state", state.name()).put("progress", progress).put("error", error);
        audit.record(c, Actor.SYSTEM, "retraining.end", RetrainingJob.target(model), null, after);
    }
}
