package io.edgeloop.server.captures;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One retention sweep on the caller's connection and transaction: first every capture past the
 * maximum age, then, for each device over its quota, its oldest captures until it fits, then the
 * oldest of all until the total fits; within a quota unlabelled captures go before labelled ones.
 * A deleted capture takes its label along. Labels that waited longer than the maximum age for a
 * capture, and the seen-message marks older than it, are dropped too.
 */
final class RetentionSweeper {
    /** Ids deleted per statement. */
    static final int IDS_PER_STATEMENT = 500;

    private static final String LABEL_OF = "capture_labels.device_id = c.device_id"
            + " AND capture_labels.model_name = c.model_name AND capture_labels.request_id = c.request_id";
    private static final String LABEL_JOIN = "LEFT JOIN capture_labels l ON l.device_id = c.device_id"
            + " AND l.model_name = c.model_name AND l.request_id = c.request_id";
    /** Oldest first, unlabelled before labelled. */
    private static final String DELETION_ORDER = " ORDER BY CASE WHEN l.label IS NULL THEN 0 ELSE 1 END, c.captured_ms, c.id";

    private final CaptureRetention retention;

    RetentionSweeper(CaptureRetention retention) {
        this.retention = retention;
    }

    RetentionSweep sweep(Connection c, long nowMillis) throws SQLException {
        long cutoff = nowMillis - retention.maxAge().toMillis();
        long[] bytes = {0};
        int byAge = deleteOlderThan(c, cutoff, bytes);
        int byDevice = 0;
        if (retention.deviceQuotaBytes() > 0) {
            for (Map.Entry<String, Long> over : devicesOver(c, retention.deviceQuotaBytes()).entrySet()) {
                List<Long> ids = oldestCovering(c, " WHERE c.device_id = ?", over.getKey(),
                        over.getValue() - retention.deviceQuotaBytes(), bytes);
                byDevice += deleteIds(c, ids);
            }
        }
        int byTotal = 0;
        if (retention.totalQuotaBytes() > 0) {
            long total = totalBytes(c);
            if (total > retention.totalQuotaBytes()) {
                byTotal = deleteIds(c, oldestCovering(c, "", null, total - retention.totalQuotaBytes(), bytes));
            }
        }
        int labelsExpired;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM capture_labels WHERE received_ms < ? AND NOT EXISTS"
                + " (SELECT 1 FROM captures c WHERE " + LABEL_OF + ")")) {
            ps.setLong(1, cutoff);
            labelsExpired = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM capture_messages_seen WHERE seen_ms < ?")) {
            ps.setLong(1, cutoff);
            ps.executeUpdate();
        }
        return new RetentionSweep(nowMillis, byAge, byDevice, byTotal, bytes[0], labelsExpired);
    }

    private static int deleteOlderThan(Connection c, long cutoff, long[] bytes) throws SQLException {
        try (PreparedStatement sum = c.prepareStatement("SELECT COALESCE(SUM(size_bytes), 0) FROM captures WHERE captured_ms < ?");
             PreparedStatement labels = c.prepareStatement("DELETE FROM capture_labels WHERE EXISTS"
                     + " (SELECT 1 FROM captures c WHERE c.captured_ms < ? AND " + LABEL_OF + ")");
             PreparedStatement captures = c.prepareStatement("DELETE FROM captures WHERE captured_ms < ?")) {
            sum.setLong(1, cutoff);
            try (ResultSet rs = sum.executeQuery()) {
                rs.next();
                bytes[0] += rs.getLong(1);
            }
            labels.setLong(1, cutoff);
            labels.executeUpdate();
            captures.setLong(1, cutoff);
            return captures.executeUpdate();
        }
    }

    /** Devices whose captures hold more than {@code quota} bytes, with their bytes. */
    static Map<String, Long> devicesOver(Connection c, long quota) throws SQLException {
        Map<String, Long> over = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id, SUM(size_bytes) FROM captures"
                + " GROUP BY device_id HAVING SUM(size_bytes) > ? ORDER BY device_id")) {
            ps.setLong(1, quota);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    over.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return over;
    }

    static long totalBytes(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(size_bytes), 0) FROM captures");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The ids, in deletion order, of the fewest captures (of one device, or all) holding {@code excess} bytes. */
    private static List<Long> oldestCovering(Connection c, String where, String deviceId, long excess, long[] bytes)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        long freed = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.size_bytes FROM captures c " + LABEL_JOIN + where
                + DELETION_ORDER)) {
            if (deviceId != null) {
                ps.setString(1, deviceId);
            }
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (freed < excess && rs.next()) {
                    ids.add(rs.getLong(1));
                    freed += rs.getLong(2);
                }
            }
        }
        bytes[0] += freed;
        return ids;
    }

    private static int deleteIds(Connection c, List<Long> ids) throws SQLException {
        int deleted = 0;
        for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
            String in = "?" + ",?".repeat(chunk.size() - 1);
            try (PreparedStatement labels = c.prepareStatement("DELETE FROM capture_labels WHERE EXISTS"
                    + " (SELECT 1 FROM captures c WHERE c.id IN (" + in + ") AND " + LABEL_OF + ")");
                 PreparedStatement captures = c.prepareStatement("DELETE FROM captures WHERE id IN (" + in + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    labels.setLong(i + 1, chunk.get(i));
                    captures.setLong(i + 1, chunk.get(i));
                }
                labels.executeUpdate();
                deleted += captures.executeUpdate();
            }
        }
        return deleted;
    }
}
