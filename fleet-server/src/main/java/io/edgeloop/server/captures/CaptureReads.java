package io.edgeloop.server.captures;

import io.edgeloop.protocol.codec.Float32Le;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The store's queries: captures joined with their labels, oldest first; counts and usage per device. */
final class CaptureReads {
    static final String JOIN = " FROM captures c LEFT JOIN capture_labels l ON l.device_id = c.device_id"
            + " AND l.model_name = c.model_name AND l.request_id = c.request_id";
    private static final String COLUMNS = "SELECT c.id, c.device_id, c.request_id, c.model_name, c.model_version,"
            + " c.captured_ms, c.predicted, c.confidence, c.shape, c.input_bytes, l.label, l.source";

    private CaptureReads() {
    }

    /** Filters on captures {@code c} (and labels {@code l}), each with its parameters. */
    static final class Where {
        private final StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        private final List<Object> args = new ArrayList<>();

        Where eq(String column, String value) {
            if (value != null) {
                sql.append(" AND ").append(column).append(" = ?");
                args.add(value);
            }
            return this;
        }

        Where atLeast(String column, long value) {
            sql.append(" AND ").append(column).append(" >= ?");
            args.add(value);
            return this;
        }

        /** Nothing for a null or empty collection (every device). */
        Where in(String column, Collection<String> values) {
            if (values != null && !values.isEmpty()) {
                sql.append(" AND ").append(column).append(" IN (?").append(",?".repeat(values.size() - 1)).append(')');
                args.addAll(values);
            }
            return this;
        }

        Where labelled() {
            sql.append(" AND l.label IS NOT NULL");
            return this;
        }

        String sql() {
            return sql.toString();
        }

        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i) instanceof Long n) {
                    ps.setLong(i + 1, n);
                } else {
                    ps.setString(i + 1, (String) args.get(i));
                }
            }
        }
    }

    static List<StoredCapture> captures(Connection c, Where where, int limit) throws SQLException {
        List<StoredCapture> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS + JOIN + where.sql()
                + " ORDER BY c.captured_ms, c.id FETCH FIRST " + limit + " ROWS ONLY")) {
            where.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(capture(rs));
                }
            }
        }
        return out;
    }

    private static StoredCapture capture(ResultSet rs) throws SQLException {
        int label = rs.getInt("label");
        Integer maybeLabel = rs.wasNull() ? null : label;
        return new StoredCapture(rs.getLong("id"), rs.getString("device_id"), rs.getString("request_id"),
                rs.getString("model_name"), rs.getString("model_version"), rs.getLong("captured_ms"),
                rs.getInt("predicted"), rs.getFloat("confidence"), ShapeText.parse(rs.getString("shape")),
                Float32Le.fromBytes(rs.getBytes("input_bytes")), maybeLabel, rs.getString("source"));
    }

    static CaptureCounts counts(Connection c, Where where) throws SQLException {
        Map<String, Long> captures = new LinkedHashMap<>();
        Map<String, Long> labelled = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.device_id, COUNT(*), COUNT(l.label)" + JOIN
                + where.sql() + " GROUP BY c.device_id ORDER BY c.device_id")) {
            where.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    captures.put(rs.getString(1), rs.getLong(2));
                    if (rs.getLong(3) > 0) {
                        labelled.put(rs.getString(1), rs.getLong(3));
                    }
                }
            }
        }
        return new CaptureCounts(captures, labelled);
    }

    /** Usage per device, of one model or (null) all; labels of that model still waiting for their capture. */
    static CaptureStats stats(Connection c, String model) throws SQLException {
        Where where = new Where().eq("c.model_name", model);
        List<CaptureStats.Device> devices = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.device_id, COUNT(*), COUNT(l.label),"
                + " SUM(c.size_bytes), MIN(c.captured_ms), MAX(c.captured_ms)" + JOIN + where.sql()
                + " GROUP BY c.device_id ORDER BY c.device_id")) {
            where.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    devices.add(new CaptureStats.Device(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
        }
        Where pendingWhere = new Where().eq("l.model_name", model);
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM capture_labels l" + pendingWhere.sql()
                + " AND NOT EXISTS (SELECT 1 FROM captures c WHERE c.device_id = l.device_id"
                + " AND c.model_name = l.model_name AND c.request_id = l.request_id)")) {
            pendingWhere.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new CaptureStats(devices, rs.getLong(1));
            }
        }
    }
}
