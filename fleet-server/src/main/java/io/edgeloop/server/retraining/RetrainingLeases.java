package io.edgeloop.server.retraining;

import io.edgeloop.server.db.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * V8's per-model retraining leases, on the caller's connection. Taking one is a single conditional
 * {@code UPDATE} of the model's row (free or expired), as the rollout engine takes its lease: on
 * PostgreSQL a concurrent taker waits on the row lock and then finds it held, so two replicas
 * never both hold a model's lease.
 */
final class RetrainingLeases {
    private static final String[] COLUMNS = {"model_name", "owner", "decision_id", "expires_ms", "epoch"};
    private static final String[] TYPES = {"VARCHAR(128)", "VARCHAR(160)", "VARCHAR(32)", "BIGINT", "BIGINT"};
    private static final String[] KEYS = {"model_name"};

    /** A lease whose holder stopped renewing it. */
    record Expired(String model, String owner, String decisionId) {
    }

    /** Creates {@code model}'s free lease row unless it exists (when its policy is set). */
    void ensure(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SqlDialect.of(c).insertIgnore("retraining_leases", COLUMNS,
                TYPES, KEYS))) {
            ps.setString(1, model);
            ps.setString(2, null);
            ps.setString(3, null);
            ps.setLong(4, 0);
            ps.setLong(5, 0);
            ps.executeUpdate();
        }
    }

    /**
     * Takes {@code model}'s lease for {@code owner} and {@code decisionId} until {@code now + ttlMs}:
     * true when it was free or expired, false when another holder (or this owner's running job)
     * holds it.
     */
    boolean claim(Connection c, String model, String owner, String decisionId, long now, long ttlMs)
            throws SQLException {
        ensure(c, model);
        try (PreparedStatement ps = c.prepareStatement("UPDATE retraining_leases SET owner = ?, decision_id = ?,"
                + " expires_ms = ?, epoch = epoch + 1 WHERE model_name = ? AND (owner IS NULL OR expires_ms < ?)")) {
            ps.setString(1, owner);
            ps.setString(2, decisionId);
            ps.setLong(3, now + ttlMs);
            ps.setString(4, model);
            ps.setLong(5, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** Extends the lease while its job runs; false when it is no longer this holder's (it expired and was taken). */
    boolean renew(Connection c, String model, String owner, String decisionId, long now, long ttlMs)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE retraining_leases SET expires_ms = ?"
                + " WHERE model_name = ? AND owner = ? AND decision_id = ?")) {
            ps.setLong(1, now + ttlMs);
            ps.setString(2, model);
            ps.setString(3, owner);
            ps.setString(4, decisionId);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Frees the lease {@code decisionId} holds; with {@code expiredBefore} > 0 only when it expired
     * before then (a replica clearing a dead holder's lease). True when this call freed it.
     */
    boolean release(Connection c, String model, String decisionId, long expiredBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE retraining_leases SET owner = NULL, decision_id = NULL,"
                + " expires_ms = 0 WHERE model_name = ? AND decision_id = ?"
                + (expiredBefore > 0 ? " AND expires_ms < ?" : ""))) {
            ps.setString(1, model);
            ps.setString(2, decisionId);
            if (expiredBefore > 0) {
                ps.setLong(3, expiredBefore);
            }
            return ps.executeUpdate() == 1;
        }
    }

    /** Held leases that expired before {@code now}. */
    List<Expired> expired(Connection c, long now) throws SQLException {
        List<Expired> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT model_name, owner, decision_id FROM retraining_leases"
                + " WHERE owner IS NOT NULL AND expires_ms < ? ORDER BY model_name")) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Expired(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }
}
