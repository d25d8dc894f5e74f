package io.edgeloop.server.devices;

import io.edgeloop.server.db.SqlTimes;
import io.edgeloop.server.db.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SQL of the device registry (devices, groups, tags), on the caller's connection so that
 * {@link DeviceService} runs each change and its audit entry in one transaction.
 */
final class DeviceRegistry {
    private final DeviceStateColumns state;

    DeviceRegistry(DeviceStateColumns state) {
        this.state = state;
    }

    void insert(Connection c, String id, String group, Map<String, String> tags, Instant now) throws SQLException {
        ensureGroup(c, group, now);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO devices (id, group_name, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, group);
            SqlTimes.set(ps, 3, now);
            ps.executeUpdate();
        }
        Map<String, String> changes = new LinkedHashMap<>(tags);
        changeTags(c, id, changes);
    }

    boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM devices WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    Optional<Device> find(Connection c, String id) throws SQLException {
        List<Device> found = select(c, " AND d.id = ?", List.of(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    List<Device> list(Connection c, DeviceFilter f) throws SQLException {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (f.group() != null) {
            where.append(" AND d.group_name = ?");
            args.add(f.group());
        }
        if (f.tagKey() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = d.id AND t.tag_key = ?"
                    + " AND t.tag_value = ?)");
            args.add(f.tagKey());
            args.add(f.tagValue());
        }
        if (f.online() != null) {
            where.append(" AND COALESCE(").append(state.online()).append(", FALSE) = ?");
            args.add(f.online());
        }
        if (f.model() != null) {
            where.append(" AND ").append(state.model()).append(" = ?");
            args.add(f.model());
        }
        if (f.modelVersion() != null) {
            where.append(" AND ").append(state.modelVersion()).append(" = ?");
            args.add(f.modelVersion());
        }
        return select(c, where.toString(), args);
    }

    void setGroup(Connection c, String id, String group, Instant now) throws SQLException {
        ensureGroup(c, group, now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET group_name = ? WHERE id = ?")) {
            ps.setString(1, group);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** Sets each tag to its value, or removes it when the value is null. */
    void changeTags(Connection c, String id, Map<String, String> changes) throws SQLException {
        for (Map.Entry<String, String> e : changes.entrySet()) {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM device_tags WHERE device_id = ? AND tag_key = ?")) {
                del.setString(1, id);
                del.setString(2, e.getKey());
                del.executeUpdate();
            }
            if (e.getValue() != null) {
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO device_tags (device_id, tag_key, tag_value) VALUES (?, ?, ?)")) {
                    ins.setString(1, id);
                    ins.setString(2, e.getKey());
                    ins.setString(3, e.getValue());
                    ins.executeUpdate();
                }
            }
        }
    }

    void setDesired(Connection c, String id, Device.DesiredModel desired) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE devices SET desired_package = ?, desired_version = ? WHERE id = ?")) {
            ps.setString(1, desired == null ? null : desired.packageName());
            ps.setString(2, desired == null ? null : desired.version());
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    void markEnrolled(Connection c, String id, String profile, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET enrolled_at = ?, profile = ? WHERE id = ?")) {
            SqlTimes.set(ps, 1, now);
            ps.setString(2, profile);
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    void markRevoked(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            SqlTimes.set(ps, 1, now);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    private void ensureGroup(Connection c, String group, Instant now) throws SQLException {
        if (group == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM device_groups WHERE name = ?")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        // Devices of a new group are often registered concurrently (a simulator, a provisioning
        // script): the first insert wins and the others skip the row instead of failing.
        SqlDialect dialect = SqlDialect.of(c);
        String sql = dialect.insertIgnore("device_groups", new String[] {"name", "created_at"},
                new String[] {"VARCHAR(128)", "TIMESTAMP WITH TIME ZONE"}, new String[] {"name"});
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, group);
            SqlTimes.set(ps, 2, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            // H2's MERGE can still meet a row another connection inserted after it looked; H2 keeps
            // the transaction usable after a failed statement, so the row is simply there now.
            if (dialect != SqlDialect.H2 || !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private List<Device> select(Connection c, String where, List<Object> args) throws SQLException {
        String sql = "SELECT d.*, " + state.online() + " AS st_online, " + state.model() + " AS st_model, "
                + state.modelVersion() + " AS st_model_version FROM devices d " + state.join()
                + " WHERE 1 = 1" + where + " ORDER BY d.id";
        Map<String, Map<String, String>> tags = tags(c, where, args);
        List<Device> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs, tags.getOrDefault(rs.getString("id"), Map.of())));
                }
            }
        }
        return out;
    }

    private Map<String, Map<String, String>> tags(Connection c, String where, List<Object> args) throws SQLException {
        String sql = "SELECT t.device_id, t.tag_key, t.tag_value FROM device_tags t WHERE t.device_id IN"
                + " (SELECT d.id FROM devices d " + state.join() + " WHERE 1 = 1" + where + ")";
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setString(i + 1, (String) args.get(i));
            }
        }
    }

    private static Device row(ResultSet rs, Map<String, String> tags) throws SQLException {
        Instant enrolled = SqlTimes.get(rs, "enrolled_at");
        Instant revoked = SqlTimes.get(rs, "revoked_at");
        String status = revoked != null ? "revoked" : enrolled != null ? "enrolled" : "registered";
        String desiredPackage = rs.getString("desired_package");
        Device.DesiredModel desired = desiredPackage == null ? null
                : new Device.DesiredModel(desiredPackage, rs.getString("desired_version"));
        boolean online = rs.getBoolean("st_online");
        return new Device(rs.getString("id"), status, rs.getString("group_name"), java.util.Collections.unmodifiableMap(new TreeMap<>(tags)), rs.getString("profile"),
                desired, online, rs.getString("st_model"), rs.getString("st_model_version"),
                SqlTimes.get(rs, "created_at").toString(), enrolled == null ? null : enrolled.toString(),
                revoked == null ? null : revoked.toString());
    }
}
