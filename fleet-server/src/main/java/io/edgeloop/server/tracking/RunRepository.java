package io.edgeloop.server.tracking;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.JsonColumns;
import io.edgeloop.server.tracking.EpochResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Training runs in the database: created when a run starts, completed when it ends, queried later. */
public final class RunRepository {
    private static final String COLUMNS = "id, status, dataset, dataset_sha256, parameters, metrics, artifacts, "
            + "code_version, started_at, duration_seconds, error";

    private final Database db;

    public RunRepository(Database db) {
        this.db = db;
    }

    public void create(RunRecord run) throws EdgeLoopException {
        String sql = "INSERT INTO training_runs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, run, 1);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failed("record run " + run.id(), e);
        }
    }

    /** Stores the run's final state and its epochs. */
    public void finish(RunRecord run) throws EdgeLoopException {
        String sql = "UPDATE training_runs SET id = ?, status = ?, dataset = ?, dataset_sha256 = ?, parameters = ?, "
                + "metrics = ?, artifacts = ?, code_version = ?, started_at = ?, duration_seconds = ?, error = ? WHERE id = ?";
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, run, 1);
                s.setString(12, run.id());
                if (s.executeUpdate() != 1) {
                    throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "no training run " + run.id());
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM run_epochs WHERE run_id = ?")) {
                s.setString(1, run.id());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO run_epochs (run_id, epoch, train_loss, "
                    + "validation_loss, validation_accuracy, seconds) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (EpochResult e : run.epochs()) {
                    s.setString(1, run.id());
                    s.setInt(2, e.epoch());
                    setDouble(s, 3, e.trainLoss());
                    setDouble(s, 4, e.validationLoss());
                    setDouble(s, 5, e.validationAccuracy());
                    setDouble(s, 6, e.seconds());
                    s.addBatch();
                }
                s.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw failed("complete run " + run.id(), e);
        }
    }

    public Optional<RunRecord> find(String id) throws EdgeLoopException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM training_runs WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(c, r)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed("read run " + id, e);
        }
    }

    public RunRecord get(String id) throws EdgeLoopException {
        return find(id).orElseThrow(() -> new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "no training run '" + id + "'"));
    }

    /** Every run, newest first. */
    public List<RunRecord> list() throws EdgeLoopException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM training_runs ORDER BY started_at DESC");
             ResultSet r = s.executeQuery()) {
            List<RunRecord> out = new ArrayList<>();
            while (r.next()) {
                out.add(read(c, r));
            }
            return out;
        } catch (SQLException e) {
            throw failed("list runs", e);
        }
    }

    private static void bind(PreparedStatement s, RunRecord run, int i) throws SQLException {
        s.setString(i, run.id());
        s.setString(i + 1, run.status());
        s.setString(i + 2, run.dataset());
        s.setString(i + 3, run.datasetSha256());
        s.setString(i + 4, JsonColumns.write(run.parameters()));
        s.setString(i + 5, JsonColumns.write(run.metrics()));
        s.setString(i + 6, JsonColumns.write(run.artifacts()));
        s.setString(i + 7, run.codeVersion());
        s.setString(i + 8, run.startedAt());
        s.setDouble(i + 9, run.durationSeconds());
        s.setString(i + 10, run.error());
    }

    private static RunRecord read(Connection c, ResultSet r) throws SQLException {
        String id = r.getString("id");
        Map<String, Object> parameters = JsonColumns.readMap(r.getString("parameters"));
        Map<String, Object> metrics = JsonColumns.readMap(r.getString("metrics"));
        Map<String, String> artifacts = JsonColumns.readMap(r.getString("artifacts"));
        return new RunRecord(id, r.getString("status"), r.getString("dataset"), r.getString("dataset_sha256"),
                parameters, epochs(c, id), metrics, artifacts, r.getString("code_version"), r.getString("started_at"),
                r.getDouble("duration_seconds"), r.getString("error"));
    }

    private static List<EpochResult> epochs(Connection c, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT epoch, train_loss, validation_loss, validation_accuracy, "
                + "seconds FROM run_epochs WHERE run_id = ? ORDER BY epoch")) {
            s.setString(1, runId);
            try (ResultSet r = s.executeQuery()) {
                List<EpochResult> out = new ArrayList<>();
                while (r.next()) {
                    out.add(new EpochResult(r.getInt(1), getDouble(r, 2), getDouble(r, 3), getDouble(r, 4), getDouble(r, 5)));
                }
                return out;
            }
        }
    }

    // NaN (accuracy of a regression) is stored as NULL: not every database keeps NaN.
    private static void setDouble(PreparedStatement s, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            s.setNull(i, Types.DOUBLE);
        } else {
            s.setDouble(i, v);
        }
    }

    private static double getDouble(ResultSet r, int i) throws SQLException {
        double v = r.getDouble(i);
        return r.wasNull() ? Double.NaN : v;
    }

    private static EdgeLoopException failed(String what, SQLException e) {
        return new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot " + what + ": " + e.getMessage(), e);
    }
}
