package io.edgeloop.server.rollout;

import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rollout decision, written twice in the caller's transaction: as a rollout event (what
 * {@code GET /rollouts/{id}} shows) and in the audit log with its figures (who, what, when, before,
 * after). The engine decides as {@link Actor#SYSTEM}; operators as themselves.
 */
final class RolloutAudit {
    private final RolloutStore store;
    private final AuditLog audit;

    RolloutAudit(RolloutStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    AuditLog log() {
        return audit;
    }

    void decided(Connection c, Actor actor, RolloutRow r, long now, String type, String before, String detail,
                 Map<String, ?> figures) throws SQLException {
        store.event(c, r.id, now, type, null, detail);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("state", r.state.name());
        after.put("wave", r.currentWave);
        after.put("detail", detail);
        if (figures != null && !figures.isEmpty()) {
            after.put("figures", figures);
        }
        audit.record(c, actor, "rollout." + type, "rollout:" + r.id, before == null ? null : Map.of("state", before),
                after);
    }
}
