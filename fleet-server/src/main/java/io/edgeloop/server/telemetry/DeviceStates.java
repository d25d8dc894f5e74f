package io.edgeloop.server.telemetry;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What devices reported over MQTT: birth, presence, last health and drift ({@code device_state}). */
public final class DeviceStates {
    /**
     * One device's reported state; JSON columns as stored.
     *
     * @param models the models of the last birth, as JSON
     */
    public record State(String deviceId, String profileId, String agentVersion, String hardware, String models,
                        Long birthMillis, boolean online, String statusReason, Long statusMillis, String lastHealth,
                        Long lastHealthMillis, String lastDrift, Long lastDriftMillis) {
    }

    private static final String COLUMNS = "device_id, profile_id, agent_version, hardware, models, birth_ms, online,"
            + " status_reason, status_ms, last_health, last_health_ms, last_drift, last_drift_ms";

    private final Database db;

    public DeviceStates(Database db) {
        this.db = db;
    }

    public Optional<State> get(String deviceId) throws EdgeLoopException {
        List<State> found = query("SELECT " + COLUMNS + " FROM device_state WHERE device_id = ?", deviceId);
        return found.stream().findFirst();
    }

    /** Every device's state, or only those whose presence is {@code online}. */
    public List<State> list(Boolean online) throws EdgeLoopException {
        if (online == null) {
            return query("SELECT " + COLUMNS + " FROM device_state ORDER BY device_id", null);
        }
        return query("SELECT " + COLUMNS + " FROM device_state WHERE online = " + (online ? "TRUE" : "FALSE")
                + " ORDER BY device_id", null);
    }

    private List<State> query(String sql, String param) throws EdgeLoopException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            List<State> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new State(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            nullableLong(rs, 6), rs.getBoolean(7), rs.getString(8), nullableLong(rs, 9), rs.getString(10),
                            nullableLong(rs, 11), rs.getString(12), nullableLong(rs, 13)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read device state: " + e.getMessage(), e);
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
