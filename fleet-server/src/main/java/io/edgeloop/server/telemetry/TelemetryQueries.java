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

/** Reads stored telemetry: per device, per model version, and counts (tests, benchmarks). */
public final class TelemetryQueries {
    /** The most rows one query returns. */
    public static final int MAX_LIMIT = 10_000;

    /** One stored message: its key, time, model, and the JSON as the agent sent it. */
    public record Entry(String deviceId, String stream, long seq, long tsMillis, String modelName, String modelVersion,
                        String payload, String ingestedBy) {
    }

    private final Database db;

    public TelemetryQueries(Database db) {
        this.db = db;
    }

    /** The newest messages of {@code deviceId} on {@code stream} at or after {@code sinceMillis}, newest first. */
    public List<Entry> forDevice(String deviceId, String stream, long sinceMillis, int limit) throws EdgeLoopException {
        return query("device_id = ?", deviceId, null, stream, sinceMillis, limit);
    }

    /** The newest messages reported for one model version on {@code stream}, newest first. */
    public List<Entry> forModel(String name, String version, String stream, long sinceMillis, int limit)
            throws EdgeLoopException {
        return query("model_name = ? AND model_version = ?", name, version, stream, sinceMillis, limit);
    }

    private List<Entry> query(String where, String a, String b, String stream, long since, int limit)
            throws EdgeLoopException {
        String sql = "SELECT device_id, stream, seq, ts_ms, model_name, model_version, payload, ingested_by FROM telemetry"
                + " WHERE " + where + " AND stream = ? AND ts_ms >= ? ORDER BY ts_ms DESC, seq DESC LIMIT ?";
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, a);
            if (b != null) {
                ps.setString(i++, b);
            }
            ps.setString(i++, stream);
            ps.setLong(i++, since);
            ps.setInt(i, Math.max(1, Math.min(MAX_LIMIT, limit)));
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read telemetry: " + e.getMessage(), e);
        }
    }

    /** Stored raw messages per device, stream and replica: {@code [device, stream, replica, count, distinct seqs]}. */
    public List<Object[]> countsByDevice() throws EdgeLoopException {
        String sql = "SELECT device_id, stream, ingested_by, COUNT(*), COUNT(DISTINCT seq) FROM telemetry"
                + " GROUP BY device_id, stream, ingested_by ORDER BY device_id, stream, ingested_by";
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<Object[]> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)});
            }
            return out;
        } catch (SQLException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot count telemetry: " + e.getMessage(), e);
        }
    }

    /** Raw messages stored in all. */
    public long total() throws EdgeLoopException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM telemetry");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot count telemetry: " + e.getMessage(), e);
        }
    }

    /** Rejected messages counted under {@code code}, all replicas together. */
    public long rejects(ErrorCode code) throws EdgeLoopException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT messages FROM ingest_rejects WHERE error_code = ?")) {
            ps.setString(1, code.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read reject counts: " + e.getMessage(), e);
        }
    }
}
