package io.edgeloop.server.retraining;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** V6's tables: policies, decisions and their progress, and the lineage of training sets. */
public final class RetrainingStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNNING = "'" + DecisionState.TRAINING + "', '" + DecisionState.GATED + "', '"
            + DecisionState.ROLLING_OUT + "'";

    private final Database db;

    public RetrainingStore(Database db) {
        this.db = db;
    }

    public Database db() {
        return db;
    }

    /** A stored policy: its JSON and who set it when. */
    public record StoredPolicy(String model, JsonNode policy, boolean enabled, long updatedMillis, String updatedBy) {
    }

    public void putPolicy(Connection c, String model, JsonNode policy, boolean enabled, long now, String by)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM retraining_policies WHERE model_name = ?")) {
            ps.setString(1, model);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO retraining_policies (model_name, policy, enabled,"
                + " updated_ms, updated_by) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, model);
            ps.setString(2, policy.toString());
            ps.setBoolean(3, enabled);
            ps.setLong(4, now);
            ps.setString(5, by);
            ps.executeUpdate();
        }
    }

    public Optional<StoredPolicy> policy(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM retraining_policies WHERE model_name = ?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(policyRow(rs)) : Optional.empty();
            }
        }
    }

    public List<StoredPolicy> policies() throws EdgeLoopException {
        return db.transaction(c -> {
            List<StoredPolicy> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM retraining_policies ORDER BY model_name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(policyRow(rs));
                }
            }
            return out;
        });
    }

    private static StoredPolicy policyRow(ResultSet rs) throws SQLException {
        return new StoredPolicy(rs.getString("model_name"), tree(rs.getString("policy")), rs.getBoolean("enabled"),
                rs.getLong("updated_ms"), rs.getString("updated_by"));
    }

    public void insert(Connection c, StoredDecision d, String worker) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO retraining_decisions (id, model_name, decided_ms,"
                + " dry_run, action, state, triggered_by, worker, reasons, blockers, figures, policy, production_version,"
                + " progress, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.id());
            ps.setString(2, d.model());
            ps.setLong(3, d.decidedMillis());
            ps.setBoolean(4, d.dryRun());
            ps.setString(5, d.action());
            ps.setString(6, d.state().name());
            ps.setString(7, d.triggeredBy());
            ps.setString(8, worker);
            ps.setString(9, write(d.reasons()));
            ps.setString(10, write(d.blockers()));
            ps.setString(11, d.figures().toString());
            ps.setString(12, d.policy().toString());
            if (d.productionVersion() == null) {
                ps.setNull(13, Types.INTEGER);
            } else {
                ps.setInt(13, d.productionVersion());
            }
            ps.setString(14, d.progress());
            ps.setLong(15, d.updatedMillis());
            ps.executeUpdate();
        }
    }

    /**
     * Sets columns of a decision: names are this class's callers' constants (state, run_id,
     * candidate_version, gate, package_name, package_version, rollout_id, progress, error).
     */
    public void update(Connection c, String id, long now, Map<String, Object> columns) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE retraining_decisions SET updated_ms = ?");
        for (String column : columns.keySet()) {
            sql.append(", ").append(column).append(" = ?");
        }
        sql.append(" WHERE id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setLong(i++, now);
            for (Object v : columns.values()) {
                if (v == null) {
                    ps.setNull(i++, Types.VARCHAR);
                } else if (v instanceof Integer n) {
                    ps.setInt(i++, n);
                } else if (v instanceof DecisionState s) {
                    ps.setString(i++, s.name());
                } else if (v instanceof JsonNode j) {
                    ps.setString(i++, j.toString());
                } else {
                    ps.setString(i++, v.toString());
                }
            }
            ps.setString(i, id);
            ps.executeUpdate();
        }
    }

    public Optional<StoredDecision> decision(Connection c, String id) throws SQLException {
        List<StoredDecision> found = decisions(c, "id = ?", List.of(id), 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Newest first; {@code model} null: every model's. */
    public List<StoredDecision> decisions(String model, int limit) throws EdgeLoopException {
        return db.transaction(c -> model == null ? decisions(c, "1 = 1", List.of(), limit)
                : decisions(c, "model_name = ?", List.of(model), limit));
    }

    /** A decision whose retraining still runs (TRAINING, GATED, ROLLING_OUT), any model. */
    public Optional<StoredDecision> running(Connection c) throws SQLException {
        List<StoredDecision> found = decisions(c, "state IN (" + RUNNING + ")", List.of(), 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<StoredDecision> inState(Connection c, DecisionState state) throws SQLException {
        return decisions(c, "state = ?", List.of(state.name()), 1000);
    }

    /** Running decisions this worker started (after a restart their jobs are gone). */
    public List<StoredDecision> runningOf(Connection c, String worker, DecisionState state) throws SQLException {
        return decisions(c, "state = ? AND worker = ?", List.of(state.name(), worker), 1000);
    }

    /** The newest decision of {@code model} that started a retraining (not a dry run). */
    public Optional<StoredDecision> lastRetraining(Connection c, String model) throws SQLException {
        List<StoredDecision> found = decisions(c, "model_name = ? AND action = 'RETRAIN' AND dry_run = FALSE",
                List.of(model), 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public Optional<StoredDecision> last(Connection c, String model) throws SQLException {
        List<StoredDecision> found = decisions(c, "model_name = ?", List.of(model), 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The decision that produced {@code model} v{@code version}, if retraining made it. */
    public Optional<StoredDecision> producing(Connection c, String model, int version) throws SQLException {
        List<StoredDecision> found = decisions(c, "model_name = ? AND candidate_version = ?",
                List.of(model, version), 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The decision whose package is {@code model}:{@code packageVersion}, if retraining made it. */
    public Optional<StoredDecision> byPackage(Connection c, String model, String packageVersion) throws SQLException {
        List<StoredDecision> found = decisions(c, "package_name = ? AND package_version = ?",
                List.of(model, packageVersion), 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<StoredDecision> decisions(Connection c, String where, List<Object> args, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM retraining_decisions WHERE " + where
                + " ORDER BY decided_ms DESC, id DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<StoredDecision> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(decisionRow(rs));
                }
            }
            return out;
        }
    }

    private static StoredDecision decisionRow(ResultSet rs) throws SQLException {
        int pv = rs.getInt("production_version");
        Integer production = rs.wasNull() ? null : pv;
        int cv = rs.getInt("candidate_version");
        Integer candidate = rs.wasNull() ? null : cv;
        String gate = rs.getString("gate");
        return new StoredDecision(rs.getString("id"), rs.getString("model_name"), rs.getLong("decided_ms"),
                rs.getBoolean("dry_run"), rs.getString("action"), DecisionState.valueOf(rs.getString("state")),
                rs.getString("triggered_by"), strings(rs.getString("reasons")), strings(rs.getString("blockers")),
                tree(rs.getString("figures")), tree(rs.getString("policy")), production, rs.getString("run_id"),
                candidate, gate == null ? null : tree(gate), rs.getString("package_name"), rs.getString("package_version"),
                rs.getString("rollout_id"), rs.getString("progress"), rs.getString("error"), rs.getLong("updated_ms"));
    }

    /** One device's captures in a training set's part ("train" or "holdout"). */
    public record CaptureUse(String deviceId, String part, List<Long> ids) {
        public Map<String, Object> json() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("deviceId", deviceId);
            o.put("part", part);
            o.put("count", ids.size());
            o.put("minId", ids.stream().mapToLong(Long::longValue).min().orElse(0));
            o.put("maxId", ids.stream().mapToLong(Long::longValue).max().orElse(0));
            o.put("ids", ids);
            return o;
        }
    }

    /** A training set the retraining built. */
    public record TrainingSet(String runId, String decisionId, String model, Integer modelVersion, String datasetSha256,
                              JsonNode datasets, JsonNode mix, long createdMillis, List<CaptureUse> captures) {
    }

    public void insertTrainingSet(Connection c, TrainingSet t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO training_sets (run_id, decision_id, model_name,"
                + " model_version, dataset_sha256, datasets, mix, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.runId());
            ps.setString(2, t.decisionId());
            ps.setString(3, t.model());
            ps.setNull(4, Types.INTEGER);
            ps.setString(5, t.datasetSha256());
            ps.setString(6, t.datasets().toString());
            ps.setString(7, t.mix().toString());
            ps.setLong(8, t.createdMillis());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO training_set_captures (run_id, device_id, part,"
                + " captures, min_capture_id, max_capture_id, capture_ids) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (CaptureUse u : t.captures()) {
                ps.setString(1, t.runId());
                ps.setString(2, u.deviceId());
                ps.setString(3, u.part());
                ps.setInt(4, u.ids().size());
                ps.setLong(5, u.ids().stream().mapToLong(Long::longValue).min().orElse(0));
                ps.setLong(6, u.ids().stream().mapToLong(Long::longValue).max().orElse(0));
                ps.setString(7, write(u.ids()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void setTrainingSetVersion(Connection c, String runId, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE training_sets SET model_version = ? WHERE run_id = ?")) {
            ps.setInt(1, version);
            ps.setString(2, runId);
            ps.executeUpdate();
        }
    }

    public Optional<TrainingSet> trainingSet(Connection c, String runId) throws SQLException {
        TrainingSet t;
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM training_sets WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int v = rs.getInt("model_version");
                Integer version = rs.wasNull() ? null : v;
                t = new TrainingSet(rs.getString("run_id"), rs.getString("decision_id"), rs.getString("model_name"),
                        version, rs.getString("dataset_sha256"), tree(rs.getString("datasets")), tree(rs.getString("mix")),
                        rs.getLong("created_ms"), List.of());
            }
        }
        List<CaptureUse> uses = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id, part, capture_ids FROM training_set_captures"
                + " WHERE run_id = ? ORDER BY device_id, part")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uses.add(new CaptureUse(rs.getString(1), rs.getString(2), longs(rs.getString(3))));
                }
            }
        }
        return Optional.of(new TrainingSet(t.runId(), t.decisionId(), t.model(), t.modelVersion(), t.datasetSha256(),
                t.datasets(), t.mix(), t.createdMillis(), uses));
    }

    /** Rollouts of the given package, newest first: {@code [id, state, version, createdMs]}. */
    public List<Object[]> rollouts(Connection c, String packageName, String packageVersion) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, state, package_version, created_ms FROM rollouts"
                + " WHERE package_name = ? AND package_version = ? ORDER BY created_ms DESC")) {
            ps.setString(1, packageName);
            ps.setString(2, packageVersion);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)});
                }
            }
        }
        return out;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-serialisable: " + e.getOriginalMessage(), e);
        }
    }

    static JsonNode tree(String text) throws SQLException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> strings(String text) throws SQLException {
        try {
            return JSON.readValue(text, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }

    private static List<Long> longs(String text) throws SQLException {
        try {
            return JSON.readValue(text, new TypeReference<List<Long>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }
}
