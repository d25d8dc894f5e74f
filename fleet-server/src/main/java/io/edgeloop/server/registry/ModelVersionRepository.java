package io.edgeloop.server.registry;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.JsonColumns;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Model versions and gate decisions in the database. */
public final class ModelVersionRepository {
    private static final String COLUMNS = "name, version, run_id, dataset_sha256, parent_version, stage, model_path, "
            + "metrics, created_at";

    private final Database db;

    public ModelVersionRepository(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    /**
     * Inserts {@code draft} under the next free version number of its name; the number is taken
     * inside the insert's transaction, and a concurrent registration fails on the primary key
     * instead of reusing it.
     */
    public ModelVersion insertNext(ModelVersion draft) throws EdgeLoopException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            int next;
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?")) {
                s.setString(1, draft.name());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    next = r.getInt(1);
                }
            }
            ModelVersion v = new ModelVersion(draft.name(), next, draft.runId(), draft.datasetSha256(),
                    draft.parentVersion(), draft.stage(), draft.modelPath(), draft.metrics(), draft.createdAt());
            try (PreparedStatement s = c.prepareStatement("INSERT INTO model_versions (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, v.name());
                s.setInt(2, v.version());
                s.setString(3, v.runId());
                s.setString(4, v.datasetSha256());
                if (v.parentVersion() == null) {
                    s.setNull(5, Types.INTEGER);
                } else {
                    s.setInt(5, v.parentVersion());
                }
                s.setString(6, v.stage().name());
                s.setString(7, v.modelPath());
                s.setString(8, JsonColumns.write(v.metrics()));
                s.setString(9, v.createdAt());
                s.executeUpdate();
            }
            c.commit();
            return v;
        } catch (SQLException e) {
            throw failed("register a version of " + draft.name(), e);
        }
    }

    public void updateStage(String name, int version, ModelStage stage) throws EdgeLoopException {
        try (Connection c = db.connect()) {
            updateStage(c, name, version, stage);
        } catch (SQLException e) {
            throw failed("update " + name + " v" + version, e);
        }
    }

    /** The same in the caller's transaction. */
    public void updateStage(Connection c, String name, int version, ModelStage stage) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE model_versions SET stage = ? WHERE name = ? AND version = ?")) {
            s.setString(1, stage.name());
            s.setString(2, name);
            s.setInt(3, version);
            s.executeUpdate();
        }
    }

    public Optional<ModelVersion> find(String name, int version) throws EdgeLoopException {
        List<ModelVersion> found = query("WHERE name = ? AND version = ?", name, version);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<ModelVersion> versions(String name) throws EdgeLoopException {
        return query("WHERE name = ? ORDER BY version", name);
    }

    public List<ModelVersion> all() throws EdgeLoopException {
        return query("ORDER BY name, version");
    }

    public Optional<ModelVersion> inStage(String name, ModelStage stage) throws EdgeLoopException {
        List<ModelVersion> found = query("WHERE name = ? AND stage = ? ORDER BY version DESC", name, stage.name());
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public void recordDecision(GateDecision d) throws EdgeLoopException {
        try (Connection c = db.connect()) {
            recordDecision(c, d);
        } catch (SQLException e) {
            throw failed("record the gate decision for " + d.modelName(), e);
        }
    }

    /** The same in the caller's transaction. */
    public void recordDecision(Connection c, GateDecision d) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO gate_decisions (model_name, candidate_version, "
                     + "production_version, metric, candidate_value, production_value, tolerance, holdout_sha256, "
                     + "decision, reason, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, d.modelName());
            s.setInt(2, d.candidateVersion());
            if (d.productionVersion() == null) {
                s.setNull(3, Types.INTEGER);
                s.setNull(6, Types.DOUBLE);
            } else {
                s.setInt(3, d.productionVersion());
                s.setDouble(6, d.productionValue());
            }
            s.setString(4, d.metric());
            s.setDouble(5, d.candidateValue());
            s.setDouble(7, d.tolerance());
            s.setString(8, d.holdoutSha256());
            s.setString(9, d.decision());
            s.setString(10, d.reason());
            s.setString(11, d.decidedAt());
            s.executeUpdate();
        }
    }

    public List<GateDecision> decisions(String name) throws EdgeLoopException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT model_name, candidate_version, production_version, metric, "
                     + "candidate_value, production_value, tolerance, holdout_sha256, decision, reason, decided_at "
                     + "FROM gate_decisions WHERE model_name = ? ORDER BY id")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                List<GateDecision> out = new ArrayList<>();
                while (r.next()) {
                    int pv = r.getInt(3);
                    Integer production = r.wasNull() ? null : pv;
                    double prodValue = r.getDouble(6);
                    if (r.wasNull()) {
                        prodValue = Double.NaN;
                    }
                    out.add(new GateDecision(r.getString(1), r.getInt(2), production, r.getString(4), r.getDouble(5),
                            prodValue, r.getDouble(7), r.getString(8), "PROMOTE".equals(r.getString(9)),
                            r.getString(10), r.getString(11)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failed("read gate decisions of " + name, e);
        }
    }

    private List<ModelVersion> query(String where, Object... args) throws EdgeLoopException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM model_versions " + where)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                List<ModelVersion> out = new ArrayList<>();
                while (r.next()) {
                    int parentNumber = r.getInt("parent_version");
                    Integer parent = r.wasNull() ? null : parentNumber;
                    out.add(new ModelVersion(r.getString("name"), r.getInt("version"), r.getString("run_id"),
                            r.getString("dataset_sha256"), parent,
                            ModelStage.valueOf(r.getString("stage")), r.getString("model_path"),
                            JsonColumns.readMap(r.getString("metrics")), r.getString("created_at")));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failed("read model versions", e);
        }
    }

    private static EdgeLoopException failed(String what, SQLException e) {
        return new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot " + what + ": " + e.getMessage(), e);
    }
}
