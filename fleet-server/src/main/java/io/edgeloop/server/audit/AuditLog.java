package io.edgeloop.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log of every change made through the API. A change and its entry are written in the
 * same transaction ({@link #record} takes the caller's connection), so there is no change without
 * its entry and no entry for a change that was rolled back. Before and after are JSON snapshots
 * of the target; secrets never go into them.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final Clock clock;

    public AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(Connection c, Actor actor, String action, String target, Object before, Object after)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (at, actor_id, actor_name, action, target,"
                + " before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            SqlTimes.set(ps, 1, clock.instant());
            ps.setString(2, actor.id());
            ps.setString(3, actor.name());
            ps.setString(4, action);
            ps.setString(5, target);
            ps.setString(6, json(before));
            ps.setString(7, json(after));
            ps.executeUpdate();
        }
    }

    public List<AuditEntry> query(AuditQuery q) throws EdgeLoopException {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.target() != null) {
            if (q.target().endsWith("*")) {
                sql.append(" AND target LIKE ? ESCAPE '!'");
                args.add(likePrefix(q.target().substring(0, q.target().length() - 1)));
            } else {
                sql.append(" AND target = ?");
                args.add(q.target());
            }
        }
        if (q.actor() != null) {
            sql.append(" AND (actor_id = ? OR actor_name = ?)");
            args.add(q.actor());
            args.add(q.actor());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            args.add(q.since());
        }
        sql.append(" ORDER BY id DESC FETCH FIRST ").append(q.limit()).append(" ROWS ONLY");
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    if (args.get(i) instanceof java.time.Instant t) {
                        SqlTimes.set(ps, i + 1, t);
                    } else {
                        ps.setString(i + 1, (String) args.get(i));
                    }
                }
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(rs.getLong("id"), SqlTimes.get(rs, "at").toString(), rs.getString("actor_id"),
                                rs.getString("actor_name"), rs.getString("action"), rs.getString("target"),
                                tree(rs.getString("before_json")), tree(rs.getString("after_json"))));
                    }
                }
                return out;
            }
        });
    }

    private static String likePrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit snapshot is not JSON-serialisable: " + e.getMessage(), e);
        }
    }

    private static JsonNode tree(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt audit JSON: " + e.getMessage(), e);
        }
    }
}
