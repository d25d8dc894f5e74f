package io.edgeloop.server.captures;

import io.edgeloop.server.db.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's writes on the caller's connection, inside the caller's transaction: captures through
 * the dialect's insert-ignore on (device, model, request id), many rows a statement, so a capture
 * sent twice is stored once; labels inserted, or replacing an older label of the same capture (a
 * label sent again changes nothing); the capture and label messages seen, by (device, stream, seq).
 */
final class CaptureWrites {
    private static final String[] COLUMNS = {"device_id", "model_name", "request_id", "model_version", "captured_ms",
            "predicted", "confidence", "shape", "input_bytes", "size_bytes", "received_ms"};
    private static final String[] TYPES = {"VARCHAR(128)", "VARCHAR(128)", "VARCHAR(128)", "VARCHAR(64)", "BIGINT",
            "INT", "REAL", "VARCHAR(256)", "BYTEA", "BIGINT", "BIGINT"};
    private static final String[] KEY = {"device_id", "model_name", "request_id"};
    private static final String[] LABEL_COLUMNS = {"device_id", "model_name", "request_id", "label", "source",
            "labelled_ms", "received_ms"};
    private static final String[] LABEL_TYPES = {"VARCHAR(128)", "VARCHAR(128)", "VARCHAR(128)", "INT", "VARCHAR(32)",
            "BIGINT", "BIGINT"};
    private static final String[] SEEN_COLUMNS = {"device_id", "stream", "seq", "seen_ms"};
    private static final String[] SEEN_TYPES = {"VARCHAR(128)", "VARCHAR(16)", "BIGINT", "BIGINT"};
    private static final String[] SEEN_KEY = {"device_id", "stream", "seq"};
    private static final String NEWER_LABEL = "UPDATE capture_labels SET label = ?, source = ?, labelled_ms = ?,"
            + " received_ms = ? WHERE device_id = ? AND model_name = ? AND request_id = ? AND labelled_ms < ?";
    private static final String CAPTURED = "SELECT 1 FROM captures WHERE device_id = ? AND model_name = ? AND request_id = ?";

    /** Rows per multi-row statement (11 parameters a row; inputs of a few KiB each). */
    static final int ROWS_PER_STATEMENT = 50;

    private CaptureWrites() {
    }

    /** Inserts the captures not stored yet; returns how many were new. */
    static int insertCaptures(Connection c, List<NewCapture> captures, long nowMillis) throws SQLException {
        // A capture sent twice can share a batch with its original; one multi-row statement must
        // not hold a key twice.
        Map<String, NewCapture> unique = new LinkedHashMap<>();
        for (NewCapture n : captures) {
            unique.putIfAbsent(n.key(), n);
        }
        List<NewCapture> rows = new ArrayList<>(unique.values());
        SqlDialect dialect = SqlDialect.of(c);
        int inserted = 0;
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<NewCapture> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            try (PreparedStatement ps = c.prepareStatement(dialect.insertIgnore("captures", COLUMNS, TYPES, KEY,
                    chunk.size()))) {
                int p = 0;
                for (NewCapture r : chunk) {
                    p = bind(ps, p, r, nowMillis);
                }
                inserted += ps.executeUpdate();
            }
        }
        return inserted;
    }

    private static int bind(PreparedStatement ps, int p, NewCapture r, long nowMillis) throws SQLException {
        ps.setString(++p, r.deviceId());
        ps.setString(++p, r.model());
        ps.setString(++p, r.requestId());
        ps.setString(++p, r.version());
        ps.setLong(++p, r.capturedAtMillis());
        ps.setInt(++p, r.predicted());
        ps.setFloat(++p, r.confidence());
        ps.setString(++p, ShapeText.of(r.shape()));
        ps.setBytes(++p, r.input());
        ps.setLong(++p, r.input().length);
        ps.setLong(++p, nowMillis);
        return p;
    }

    /** Stores each label (a newer one replaces an older one); returns how many match a stored capture. */
    static int upsertLabels(Connection c, List<NewLabel> labels, long nowMillis) throws SQLException {
        if (labels.isEmpty()) {
            return 0;
        }
        int matched = 0;
        SqlDialect dialect = SqlDialect.of(c);
        try (PreparedStatement insert = c.prepareStatement(dialect.insertIgnore("capture_labels", LABEL_COLUMNS,
                LABEL_TYPES, KEY));
             PreparedStatement newer = c.prepareStatement(NEWER_LABEL);
             PreparedStatement captured = c.prepareStatement(CAPTURED)) {
            for (NewLabel l : labels) {
                insert.setString(1, l.deviceId());
                insert.setString(2, l.model());
                insert.setString(3, l.requestId());
                insert.setInt(4, l.label());
                insert.setString(5, l.source());
                insert.setLong(6, l.labelledAtMillis());
                insert.setLong(7, nowMillis);
                if (insert.executeUpdate() == 0) {
                    newer.setInt(1, l.label());
                    newer.setString(2, l.source());
                    newer.setLong(3, l.labelledAtMillis());
                    newer.setLong(4, nowMillis);
                    newer.setString(5, l.deviceId());
                    newer.setString(6, l.model());
                    newer.setString(7, l.requestId());
                    newer.setLong(8, l.labelledAtMillis());
                    newer.executeUpdate();
                }
                captured.setString(1, l.deviceId());
                captured.setString(2, l.model());
                captured.setString(3, l.requestId());
                try (ResultSet rs = captured.executeQuery()) {
                    matched += rs.next() ? 1 : 0;
                }
            }
        }
        return matched;
    }

    /** Records a message as seen; false when it was seen before (a replay, to be skipped). */
    static boolean firstSight(Connection c, String deviceId, String stream, long seq, long nowMillis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SqlDialect.of(c).insertIgnore("capture_messages_seen",
                SEEN_COLUMNS, SEEN_TYPES, SEEN_KEY))) {
            ps.setString(1, deviceId);
            ps.setString(2, stream);
            ps.setLong(3, seq);
            ps.setLong(4, nowMillis);
            return ps.executeUpdate() == 1;
        }
    }
}
