package io.edgeloop.server.telemetry;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Keeps raw telemetry for {@code rawRetention}, then folds it into per device, stream, model
 * version and hour aggregates ({@code telemetry_hourly}: message count, seq range, worst p95,
 * errors, drifted windows) and deletes the raw rows, in one transaction. Rows that arrive while it
 * runs (received after it started) wait for the next run, so none is deleted unaggregated.
 */
public final class TelemetryRetention {
    private static final String FOLD = """
            MERGE INTO telemetry_hourly h USING (
              SELECT device_id, stream, model_name, model_version, ts_ms - MOD(ts_ms, 3600000) AS hour_ms,
                COUNT(*) AS messages, MIN(seq) AS min_seq, MAX(seq) AS max_seq, MAX(p95_micros) AS max_p95_micros,
                SUM(error_count) AS error_count, SUM(CASE WHEN drifted THEN 1 ELSE 0 END) AS drifted_count
              FROM telemetry WHERE ts_ms < ? AND received_ms < ?
              GROUP BY device_id, stream, model_name, model_version, ts_ms - MOD(ts_ms, 3600000)) s
            ON h.device_id = s.device_id AND h.stream = s.stream AND h.model_name = s.model_name
              AND h.model_version = s.model_version AND h.hour_ms = s.hour_ms
            WHEN MATCHED THEN UPDATE SET messages = h.messages + s.messages,
              min_seq = LEAST(h.min_seq, s.min_seq), max_seq = GREATEST(h.max_seq, s.max_seq),
              max_p95_micros = GREATEST(h.max_p95_micros, s.max_p95_micros),
              error_count = COALESCE(h.error_count, 0) + COALESCE(s.error_count, 0),
              drifted_count = COALESCE(h.drifted_count, 0) + COALESCE(s.drifted_count, 0)
            WHEN NOT MATCHED THEN INSERT (device_id, stream, model_name, model_version, hour_ms, messages, min_seq,
              max_seq, max_p95_micros, error_count, drifted_count)
              VALUES (s.device_id, s.stream, s.model_name, s.model_version, s.hour_ms, s.messages, s.min_seq,
              s.max_seq, s.max_p95_micros, s.error_count, s.drifted_count)""";

    private final Database db;
    private final Duration rawRetention;

    public TelemetryRetention(Database db, Duration rawRetention) {
        if (rawRetention.isNegative() || rawRetention.isZero()) {
            throw new IllegalArgumentException("raw telemetry retention must be positive, was " + rawRetention);
        }
        this.db = db;
        this.rawRetention = rawRetention;
    }

    /** Folds and deletes raw rows older than the retention at {@code nowMillis}; returns how many were folded. */
    public int run(long nowMillis) throws EdgeLoopException {
        long cutoff = nowMillis - rawRetention.toMillis();
        long started = System.currentTimeMillis();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            // One snapshot for both statements: a row committed in between is neither folded nor deleted.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement fold = c.prepareStatement(FOLD);
                 PreparedStatement delete = c.prepareStatement("DELETE FROM telemetry WHERE ts_ms < ? AND received_ms < ?")) {
                fold.setLong(1, cutoff);
                fold.setLong(2, started);
                fold.executeUpdate();
                delete.setLong(1, cutoff);
                delete.setLong(2, started);
                int deleted = delete.executeUpdate();
                c.commit();
                return deleted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "telemetry downsampling failed: " + e.getMessage(), e);
        }
    }
}
