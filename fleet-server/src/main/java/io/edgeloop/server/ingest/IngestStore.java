package io.edgeloop.server.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.StatusMessage;
import io.edgeloop.server.db.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one {@link IngestBatch} in one transaction: telemetry rows through the dialect's
 * insert-ignore on the key (device, stream, seq), many rows per statement, so a replayed message
 * is stored once; the
 * device state rows (birth, presence, last health and drift) through standard {@code MERGE};
 * reject counters added up; job execution updates handed to the {@link JobUpdateSink} and capture
 * and label batches to the {@link CaptureSink} in the same transaction. Returns how many telemetry rows were new.
 */
final class IngestStore {
    private static final String[] COLUMNS = {"device_id", "stream", "seq", "ts_ms", "model_name", "model_version",
            "p95_micros", "error_count", "drifted", "payload", "ingested_by", "received_ms"};
    private static final String[] TYPES = {"VARCHAR(128)", "VARCHAR(16)", "BIGINT", "BIGINT", "VARCHAR(128)",
            "VARCHAR(64)", "DOUBLE PRECISION", "BIGINT", "BOOLEAN", "TEXT", "VARCHAR(128)", "BIGINT"};
    private static final String[] KEY = {"device_id", "stream", "seq"};
    /**
     * Telemetry rows per multi-row statement: one round trip and one parse for many rows, well
     * under PostgreSQL's 32,767 parameters (12 a row).
     */
    static final int ROWS_PER_STATEMENT = 100;

    private static final String BIRTH = """
            MERGE INTO device_state d USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(128)),
              CAST(? AS VARCHAR(64)), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS VARCHAR(128)),
              CAST(? AS VARCHAR(64))))
              AS s(device_id, profile_id, agent_version, hardware, models, birth_ms, model_name, model_version)
            ON d.device_id = s.device_id
            WHEN MATCHED THEN UPDATE SET profile_id = s.profile_id, agent_version = s.agent_version,
              hardware = s.hardware, models = s.models, birth_ms = s.birth_ms,
              model_name = s.model_name, model_version = s.model_version
            WHEN NOT MATCHED THEN INSERT (device_id, profile_id, agent_version, hardware, models, birth_ms, model_name,
              model_version, online)
              VALUES (s.device_id, s.profile_id, s.agent_version, s.hardware, s.models, s.birth_ms, s.model_name,
              s.model_version, FALSE)""";
    private static final String STATUS = """
            MERGE INTO device_state d USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS BOOLEAN),
              CAST(? AS VARCHAR(256)), CAST(? AS BIGINT))) AS s(device_id, online, status_reason, status_ms)
            ON d.device_id = s.device_id
            WHEN MATCHED THEN UPDATE SET online = s.online, status_reason = s.status_reason, status_ms = s.status_ms
            WHEN NOT MATCHED THEN INSERT (device_id, online, status_reason, status_ms)
              VALUES (s.device_id, s.online, s.status_reason, s.status_ms)""";
    private static final String LAST = """
            MERGE INTO device_state d USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS TEXT), CAST(? AS BIGINT),
              CAST(? AS BIGINT))) AS s(device_id, body, seq, ts)
            ON d.device_id = s.device_id
            WHEN MATCHED AND (d.last_%1$s_ms IS NULL OR d.last_%1$s_ms <= s.ts) THEN
              UPDATE SET last_%1$s = s.body, last_%1$s_seq = s.seq, last_%1$s_ms = s.ts
            WHEN NOT MATCHED THEN INSERT (device_id, online, last_%1$s, last_%1$s_seq, last_%1$s_ms)
              VALUES (s.device_id, FALSE, s.body, s.seq, s.ts)""";
    private static final String REJECTS = """
            MERGE INTO ingest_rejects r USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS BIGINT), CAST(? AS BIGINT),
              CAST(? AS VARCHAR(512)), CAST(? AS VARCHAR(1024)))) AS s(error_code, messages, last_ms, last_topic, last_error)
            ON r.error_code = s.error_code
            WHEN MATCHED THEN UPDATE SET messages = r.messages + s.messages, last_ms = s.last_ms,
              last_topic = s.last_topic, last_error = s.last_error
            WHEN NOT MATCHED THEN INSERT (error_code, messages, last_ms, last_topic, last_error)
              VALUES (s.error_code, s.messages, s.last_ms, s.last_topic, s.last_error)""";

    private final ObjectMapper json = new ObjectMapper();
    private final String replicaId;
    private final JobUpdateSink jobUpdates;
    private final CaptureSink captures;

    IngestStore(String replicaId) {
        this(replicaId, JobUpdateSink.NONE, CaptureSink.NONE);
    }

    IngestStore(String replicaId, JobUpdateSink jobUpdates, CaptureSink captures) {
        this.replicaId = replicaId;
        this.jobUpdates = jobUpdates;
        this.captures = captures;
    }

    /** Writes {@code batch} on {@code c} and commits; returns the number of new telemetry rows. */
    int write(Connection c, IngestBatch batch) throws SQLException {
        c.setAutoCommit(false);
        try {
            int inserted = insertRows(c, batch);
            births(c, batch.births);
            statuses(c, batch.statuses);
            latest(c, "health", batch.health);
            latest(c, "drift", batch.drift);
            rejects(c, batch.rejects);
            if (!batch.jobUpdates.isEmpty()) {
                jobUpdates.apply(c, batch.jobUpdates);
            }
            boolean captured = !batch.captures.isEmpty() || !batch.labels.isEmpty();
            if (captured) {
                captures.apply(c, batch.captures, batch.labels);
            }
            c.commit();
            if (!batch.jobUpdates.isEmpty()) {
                jobUpdates.committed();
            }
            if (captured) {
                captures.committed();
            }
            return inserted;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private int insertRows(Connection c, IngestBatch batch) throws SQLException {
        if (batch.rows.isEmpty()) {
            return 0;
        }
        // A redelivered copy can share a batch with its original; one multi-row statement must not
        // hold a key twice.
        Map<String, IngestBatch.Row> unique = new LinkedHashMap<>();
        for (IngestBatch.Row r : batch.rows) {
            unique.putIfAbsent(r.deviceId() + '\0' + r.stream() + '\0' + r.seq(), r);
        }
        List<IngestBatch.Row> rows = new ArrayList<>(unique.values());
        SqlDialect dialect = SqlDialect.of(c);
        int full = rows.size() / ROWS_PER_STATEMENT;
        int inserted = 0;
        if (full > 0) {
            try (PreparedStatement ps = c.prepareStatement(dialect.insertIgnore("telemetry", COLUMNS, TYPES, KEY,
                    ROWS_PER_STATEMENT))) {
                for (int chunk = 0; chunk < full; chunk++) {
                    bind(ps, rows.subList(chunk * ROWS_PER_STATEMENT, (chunk + 1) * ROWS_PER_STATEMENT));
                    ps.addBatch();
                }
                for (int n : ps.executeBatch()) {
                    // SUCCESS_NO_INFO (-2) is a driver that does not count; treat the chunk as stored.
                    inserted += n == PreparedStatement.SUCCESS_NO_INFO ? ROWS_PER_STATEMENT : Math.max(0, n);
                }
            }
        }
        List<IngestBatch.Row> rest = rows.subList(full * ROWS_PER_STATEMENT, rows.size());
        if (!rest.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(dialect.insertIgnore("telemetry", COLUMNS, TYPES, KEY,
                    rest.size()))) {
                bind(ps, rest);
                inserted += ps.executeUpdate();
            }
        }
        return inserted;
    }

    private void bind(PreparedStatement ps, List<IngestBatch.Row> rows) throws SQLException {
        int p = 0;
        for (IngestBatch.Row r : rows) {
            ps.setString(++p, r.deviceId());
            ps.setString(++p, r.stream());
            ps.setLong(++p, r.seq());
            ps.setLong(++p, r.tsMillis());
            ps.setString(++p, r.modelName());
            ps.setString(++p, r.modelVersion());
            setNullable(ps, ++p, r.p95Micros(), Types.DOUBLE);
            setNullable(ps, ++p, r.errorCount(), Types.BIGINT);
            setNullable(ps, ++p, r.drifted(), Types.BOOLEAN);
            ps.setString(++p, r.payload());
            ps.setString(++p, replicaId);
            ps.setLong(++p, r.receivedMillis());
        }
    }

    private void births(Connection c, Map<String, BirthMessage> births) throws SQLException {
        if (births.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(BIRTH)) {
            for (BirthMessage b : births.values()) {
                ps.setString(1, b.deviceId());
                ps.setString(2, b.profileId());
                ps.setString(3, b.agentVersion());
                ps.setString(4, toJson(b.hardware()));
                ps.setString(5, toJson(b.models()));
                ps.setLong(6, b.ts().toEpochMilli());
                ps.setString(7, b.models().isEmpty() ? null : b.models().get(0).name());
                ps.setString(8, b.models().isEmpty() ? null : b.models().get(0).version());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void statuses(Connection c, Map<String, StatusMessage> statuses) throws SQLException {
        if (statuses.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(STATUS)) {
            for (StatusMessage s : statuses.values()) {
                ps.setString(1, s.deviceId());
                ps.setBoolean(2, s.online());
                ps.setString(3, s.reason() == null ? null : truncate(s.reason(), 256));
                ps.setLong(4, s.ts().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static <T extends io.edgeloop.protocol.message.Message> void latest(Connection c, String kind, Map<String, IngestBatch.Latest<T>> latest)
            throws SQLException {
        if (latest.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(String.format(LAST, kind))) {
            for (IngestBatch.Latest<T> l : latest.values()) {
                io.edgeloop.protocol.message.Message m = l.message();
                ps.setString(1, m.deviceId());
                ps.setString(2, l.payload());
                ps.setLong(3, m.seq());
                ps.setLong(4, m.ts().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void rejects(Connection c, Map<ErrorCode, IngestBatch.Rejects> rejects) throws SQLException {
        if (rejects.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(REJECTS)) {
            for (Map.Entry<ErrorCode, IngestBatch.Rejects> e : rejects.entrySet()) {
                ps.setString(1, e.getKey().name());
                ps.setLong(2, e.getValue().count());
                ps.setLong(3, System.currentTimeMillis());
                ps.setString(4, truncate(e.getValue().lastTopic(), 512));
                ps.setString(5, truncate(e.getValue().lastError(), 1024));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setNullable(PreparedStatement ps, int index, Object value, int type) throws SQLException {
        if (value == null) {
            ps.setNull(index, type);
        } else {
            ps.setObject(index, value, type);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a protocol record failed to serialize", e);
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
