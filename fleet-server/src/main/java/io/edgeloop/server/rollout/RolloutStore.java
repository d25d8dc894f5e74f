package io.edgeloop.server.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.job.RolloutState;
import io.edgeloop.server.db.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The SQL of rollouts (V4), on the caller's connection so that each decision is one transaction. */
final class RolloutStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** States the engine ticks. */
    static final List<RolloutState> ACTIVE = List.of(RolloutState.SCHEDULED, RolloutState.AWAITING_APPROVAL,
            RolloutState.RUNNING, RolloutState.PAUSED, RolloutState.ROLLING_BACK);

    /** One wave row. */
    static final class Wave {
        int index;
        int percent;
        String state;
        int targeted;
        Long startedMs;
        Long thresholdMetMs;
        Long doneMs;
    }

    /** One event. */
    record Event(long id, long atMs, String type, String deviceId, String detail) {
    }

    // rollouts

    void insert(Connection c, RolloutRow r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollouts (id, package_name, package_version,"
                + " definition, state, priority, current_wave, created_ms, created_by, rate_window_ms, rate_window_n,"
                + " version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id);
            ps.setString(2, r.packageName);
            ps.setString(3, r.packageVersion);
            ps.setString(4, r.definitionJson);
            ps.setString(5, r.state.name());
            ps.setInt(6, r.priority);
            ps.setInt(7, r.currentWave);
            ps.setLong(8, r.createdMs);
            ps.setString(9, r.createdBy);
            ps.setLong(10, r.rateWindowMs);
            ps.setInt(11, r.rateWindowN);
            ps.setLong(12, r.version);
            ps.executeUpdate();
        }
    }

    Optional<RolloutRow> find(Connection c, String id, boolean lock) throws SQLException, EdgeLoopException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM rollouts WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rollout(rs)) : Optional.empty();
            }
        }
    }

    /** Rollouts in the engine's order: priority (highest first), then creation time. */
    List<RolloutRow> list(Connection c, boolean activeOnly) throws SQLException, EdgeLoopException {
        String where = activeOnly ? " WHERE state IN ('SCHEDULED', 'AWAITING_APPROVAL', 'RUNNING', 'PAUSED', 'ROLLING_BACK')" : "";
        List<RolloutRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM rollouts" + where
                + " ORDER BY priority DESC, created_ms, seq"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rollout(rs));
            }
        }
        return out;
    }

    /** Writes the row back; false when another writer changed it since it was read. */
    boolean update(Connection c, RolloutRow r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rollouts SET state = ?, end_state = ?, end_reason = ?,"
                + " current_wave = ?, approved_ms = ?, approved_by = ?, started_ms = ?, ended_ms = ?, breach_ms = ?,"
                + " halted_ms = ?, rolled_back_ms = ?, gate_ms = ?, gate_json = ?, rate_window_ms = ?, rate_window_n = ?,"
                + " version = version + 1 WHERE id = ? AND version = ?")) {
            ps.setString(1, r.state.name());
            ps.setString(2, r.endState == null ? null : r.endState.name());
            ps.setString(3, truncate(r.endReason, 1024));
            ps.setInt(4, r.currentWave);
            setLong(ps, 5, r.approvedMs);
            ps.setString(6, r.approvedBy);
            setLong(ps, 7, r.startedMs);
            setLong(ps, 8, r.endedMs);
            setLong(ps, 9, r.breachMs);
            setLong(ps, 10, r.haltedMs);
            setLong(ps, 11, r.rolledBackMs);
            setLong(ps, 12, r.gateMs);
            ps.setString(13, r.gateJson);
            ps.setLong(14, r.rateWindowMs);
            ps.setInt(15, r.rateWindowN);
            ps.setString(16, r.id);
            ps.setLong(17, r.version);
            boolean done = ps.executeUpdate() == 1;
            if (done) {
                r.version++;
            }
            return done;
        }
    }

    private static RolloutRow rollout(ResultSet rs) throws SQLException, EdgeLoopException {
        RolloutRow r = new RolloutRow();
        r.id = rs.getString("id");
        r.seq = rs.getLong("seq");
        r.packageName = rs.getString("package_name");
        r.packageVersion = rs.getString("package_version");
        r.definitionJson = rs.getString("definition");
        try {
            r.definition = RolloutDefinition.parse(JSON.readTree(r.definitionJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "rollout " + r.id + " has a corrupt definition", e);
        }
        r.state = RolloutState.valueOf(rs.getString("state"));
        String end = rs.getString("end_state");
        r.endState = end == null ? null : RolloutState.valueOf(end);
        r.endReason = rs.getString("end_reason");
        r.priority = rs.getInt("priority");
        r.currentWave = rs.getInt("current_wave");
        r.createdMs = rs.getLong("created_ms");
        r.createdBy = rs.getString("created_by");
        r.approvedMs = getLong(rs, "approved_ms");
        r.approvedBy = rs.getString("approved_by");
        r.startedMs = getLong(rs, "started_ms");
        r.endedMs = getLong(rs, "ended_ms");
        r.breachMs = getLong(rs, "breach_ms");
        r.haltedMs = getLong(rs, "halted_ms");
        r.rolledBackMs = getLong(rs, "rolled_back_ms");
        r.gateMs = getLong(rs, "gate_ms");
        r.gateJson = rs.getString("gate_json");
        r.rateWindowMs = rs.getLong("rate_window_ms");
        r.rateWindowN = rs.getInt("rate_window_n");
        r.version = rs.getLong("version");
        return r;
    }

    // waves

    void insertWave(Connection c, String rolloutId, Wave w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_waves (rollout_id, wave_index, percent, state,"
                + " targeted) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, rolloutId);
            ps.setInt(2, w.index);
            ps.setInt(3, w.percent);
            ps.setString(4, w.state);
            ps.setInt(5, w.targeted);
            ps.executeUpdate();
        }
    }

    List<Wave> waves(Connection c, String rolloutId) throws SQLException {
        List<Wave> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM rollout_waves WHERE rollout_id = ? ORDER BY wave_index")) {
            ps.setString(1, rolloutId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Wave w = new Wave();
                    w.index = rs.getInt("wave_index");
                    w.percent = rs.getInt("percent");
                    w.state = rs.getString("state");
                    w.targeted = rs.getInt("targeted");
                    w.startedMs = getLong(rs, "started_ms");
                    w.thresholdMetMs = getLong(rs, "threshold_met_ms");
                    w.doneMs = getLong(rs, "done_ms");
                    out.add(w);
                }
            }
        }
        return out;
    }

    void updateWave(Connection c, String rolloutId, Wave w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rollout_waves SET state = ?, targeted = ?, started_ms = ?,"
                + " threshold_met_ms = ?, done_ms = ? WHERE rollout_id = ? AND wave_index = ?")) {
            ps.setString(1, w.state);
            ps.setInt(2, w.targeted);
            setLong(ps, 3, w.startedMs);
            setLong(ps, 4, w.thresholdMetMs);
            setLong(ps, 5, w.doneMs);
            ps.setString(6, rolloutId);
            ps.setInt(7, w.index);
            ps.executeUpdate();
        }
    }

    // targets

    /** The rollout's target devices in the order they are notified (id order). */
    List<String> targets(Connection c, String rolloutId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM rollout_targets WHERE rollout_id = ?"
                + " ORDER BY device_id")) {
            ps.setString(1, rolloutId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    int addTargets(Connection c, String rolloutId, Set<String> devices, long now) throws SQLException {
        Set<String> known = new LinkedHashSet<>(targets(c, rolloutId));
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_targets (rollout_id, device_id, added_ms)"
                + " VALUES (?, ?, ?)")) {
            for (String d : devices) {
                if (known.add(d)) {
                    ps.setString(1, rolloutId);
                    ps.setString(2, d);
                    ps.setLong(3, now);
                    ps.addBatch();
                    added++;
                }
            }
            if (added > 0) {
                ps.executeBatch();
            }
        }
        return added;
    }

    // executions

    void insert(Connection c, Execution e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_executions (rollout_id, device_id, job_id,"
                + " model_name, wave_index, state, version, attempt, stale_updates, queued_ms, updated_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
            ps.setString(1, e.rolloutId);
            ps.setString(2, e.deviceId);
            ps.setString(3, e.jobId);
            ps.setString(4, e.modelName);
            ps.setInt(5, e.waveIndex);
            ps.setString(6, e.state.name());
            ps.setLong(7, e.version);
            ps.setInt(8, e.attempt);
            ps.setLong(9, e.queuedMs);
            ps.setLong(10, e.updatedMs);
            ps.executeUpdate();
        }
        update(c, e);
    }

    void update(Connection c, Execution e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_executions SET job_id = ?, wave_index = ?, state = ?,"
                + " step = ?, version = ?, attempt = ?, error_code = ?, status_details = ?, previous_version = ?,"
                + " stale_updates = ?, outbox = ?, outbox_reason = ?, rollback_sent_ms = ?, notified_ms = ?, started_ms = ?,"
                + " succeeded_ms = ?, ended_ms = ?, updated_ms = ?, deadline_ms = ?, step_deadline_ms = ?,"
                + " liveness_deadline_ms = ? WHERE rollout_id = ? AND device_id = ?")) {
            ps.setString(1, e.jobId);
            ps.setInt(2, e.waveIndex);
            ps.setString(3, e.state.name());
            ps.setString(4, e.step == null ? null : e.step.name());
            ps.setLong(5, e.version);
            ps.setInt(6, e.attempt);
            ps.setString(7, e.errorCode == null ? null : e.errorCode.name());
            ps.setString(8, e.statusDetails);
            ps.setString(9, e.previousVersion);
            ps.setInt(10, e.staleUpdates);
            ps.setString(11, e.outbox == null ? null : e.outbox.name());
            ps.setString(12, e.outboxReason);
            setLong(ps, 13, e.rollbackSentMs);
            setLong(ps, 14, e.notifiedMs);
            setLong(ps, 15, e.startedMs);
            setLong(ps, 16, e.succeededMs);
            setLong(ps, 17, e.endedMs);
            ps.setLong(18, e.updatedMs);
            setLong(ps, 19, e.deadlineMs);
            setLong(ps, 20, e.stepDeadlineMs);
            setLong(ps, 21, e.livenessDeadlineMs);
            ps.setString(22, e.rolloutId);
            ps.setString(23, e.deviceId);
            ps.executeUpdate();
        }
    }

    List<Execution> executions(Connection c, String rolloutId) throws SQLException {
        return query(c, "SELECT * FROM job_executions WHERE rollout_id = ? ORDER BY device_id", rolloutId);
    }

    /** The execution a device's update names, locked until the transaction ends. */
    Optional<Execution> byJob(Connection c, String deviceId, String jobId) throws SQLException {
        List<Execution> found = query(c, "SELECT * FROM job_executions WHERE device_id = ? AND job_id = ? FOR UPDATE",
                deviceId, jobId);
        return found.stream().findFirst();
    }

    /** Devices with a live (queued or in progress) execution of {@code model} in another rollout. */
    Set<String> busyDevices(Connection c, String model, String exceptRollout) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM job_executions WHERE model_name = ?"
                + " AND state IN ('QUEUED', 'IN_PROGRESS') AND rollout_id <> ?")) {
            ps.setString(1, model);
            ps.setString(2, exceptRollout);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Executions with something to publish, oldest first. */
    List<Execution> outbox(Connection c, int limit) throws SQLException {
        return query(c, "SELECT * FROM job_executions WHERE outbox IS NOT NULL ORDER BY updated_ms"
                + " FETCH FIRST " + limit + " ROWS ONLY");
    }

    /** Clears the outbox entry once published, unless it changed meanwhile. */
    void clearOutbox(Connection c, Execution e, long now) throws SQLException {
        String sent = switch (e.outbox) {
            case NOTIFY -> "notified_ms = COALESCE(notified_ms, ?)";
            case ROLLBACK -> "rollback_sent_ms = ?";
            case CANCEL -> "updated_ms = GREATEST(updated_ms, ?)";
        };
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_executions SET outbox = NULL, outbox_reason = NULL, "
                + sent + " WHERE rollout_id = ? AND device_id = ? AND job_id = ? AND outbox = ?")) {
            ps.setLong(1, now);
            ps.setString(2, e.rolloutId);
            ps.setString(3, e.deviceId);
            ps.setString(4, e.jobId);
            ps.setString(5, e.outbox.name());
            ps.executeUpdate();
        }
    }

    private static List<Execution> query(Connection c, String sql, String... args) throws SQLException {
        List<Execution> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(execution(rs));
                }
            }
        }
        return out;
    }

    private static Execution execution(ResultSet rs) throws SQLException {
        Execution e = new Execution();
        e.rolloutId = rs.getString("rollout_id");
        e.deviceId = rs.getString("device_id");
        e.jobId = rs.getString("job_id");
        e.modelName = rs.getString("model_name");
        e.waveIndex = rs.getInt("wave_index");
        e.state = JobExecutionState.valueOf(rs.getString("state"));
        String step = rs.getString("step");
        e.step = step == null ? null : JobStep.valueOf(step);
        e.version = rs.getLong("version");
        e.attempt = rs.getInt("attempt");
        String code = rs.getString("error_code");
        e.errorCode = code == null ? null : ErrorCode.valueOf(code);
        e.statusDetails = rs.getString("status_details");
        e.previousVersion = rs.getString("previous_version");
        e.staleUpdates = rs.getInt("stale_updates");
        String outbox = rs.getString("outbox");
        e.outbox = outbox == null ? null : Execution.Outbox.valueOf(outbox);
        e.outboxReason = rs.getString("outbox_reason");
        e.rollbackSentMs = getLong(rs, "rollback_sent_ms");
        e.queuedMs = rs.getLong("queued_ms");
        e.notifiedMs = getLong(rs, "notified_ms");
        e.startedMs = getLong(rs, "started_ms");
        e.succeededMs = getLong(rs, "succeeded_ms");
        e.endedMs = getLong(rs, "ended_ms");
        e.updatedMs = rs.getLong("updated_ms");
        e.deadlineMs = getLong(rs, "deadline_ms");
        e.stepDeadlineMs = getLong(rs, "step_deadline_ms");
        e.livenessDeadlineMs = getLong(rs, "liveness_deadline_ms");
        return e;
    }

    /** Records a job update message as seen; false when it was seen before (a duplicate). */
    boolean firstSight(Connection c, String deviceId, long seq, long now) throws SQLException {
        String sql = SqlDialect.of(c).insertIgnore("job_update_seen", new String[] {"device_id", "seq", "seen_ms"},
                new String[] {"VARCHAR(128)", "BIGINT", "BIGINT"}, new String[] {"device_id", "seq"});
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, deviceId);
            ps.setLong(2, seq);
            ps.setLong(3, now);
            return ps.executeUpdate() == 1;
        }
    }

    // events

    void event(Connection c, String rolloutId, long now, String type, String deviceId, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_events (rollout_id, at_ms, type, device_id,"
                + " detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, rolloutId);
            ps.setLong(2, now);
            ps.setString(3, type);
            ps.setString(4, deviceId);
            ps.setString(5, detail);
            ps.executeUpdate();
        }
    }

    /** The newest {@code limit} events, oldest first. */
    List<Event> events(Connection c, String rolloutId, int limit) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, at_ms, type, device_id, detail FROM rollout_events"
                + " WHERE rollout_id = ? ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY")) {
            ps.setString(1, rolloutId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(0, new Event(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    // lease

    /**
     * Takes or renews the lease {@code name} for {@code owner} until {@code now + ttlMs}: true when
     * {@code owner} holds it afterwards (it held it, or the previous holder's lease had expired).
     */
    boolean lease(Connection c, String name, String owner, long now, long ttlMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rollout_leases SET owner = ?, expires_ms = ?,"
                + " epoch = CASE WHEN owner = ? THEN epoch ELSE epoch + 1 END"
                + " WHERE name = ? AND (owner = ? OR owner IS NULL OR expires_ms < ?)")) {
            ps.setString(1, owner);
            ps.setLong(2, now + ttlMs);
            ps.setString(3, owner);
            ps.setString(4, name);
            ps.setString(5, owner);
            ps.setLong(6, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** Gives the lease up (on a clean shutdown), so another replica need not wait for it to expire. */
    void release(Connection c, String name, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rollout_leases SET owner = NULL, expires_ms = 0"
                + " WHERE name = ? AND owner = ?")) {
            ps.setString(1, name);
            ps.setString(2, owner);
            ps.executeUpdate();
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
