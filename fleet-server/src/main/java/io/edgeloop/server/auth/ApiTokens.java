package io.edgeloop.server.auth;

import io.edgeloop.server.access.Actor;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.access.Secrets;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens of the REST API. A token is 32 random bytes; only its sha256 is stored, so a
 * database dump gives no usable token. Creating and revoking are audited.
 */
public final class ApiTokens {
    static final String TOKEN_PREFIX = "elt_";

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;

    public ApiTokens(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    public IssuedToken create(Actor actor, String name, Role role) throws EdgeLoopException {
        if (name == null || name.isBlank() || name.length() > 128) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "a token needs a name of 1 to 128 characters");
        }
        String secret = Secrets.random(TOKEN_PREFIX, 32);
        String id = "tok_" + Secrets.randomHex(6);
        Instant now = clock.instant();
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens (id, name, role, token_sha256,"
                    + " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, name);
                ps.setString(3, role.wireName());
                ps.setString(4, Secrets.sha256(secret));
                SqlTimes.set(ps, 5, now);
                ps.setString(6, actor.id());
                ps.executeUpdate();
            }
            ApiToken listed = find(c, id).orElseThrow();
            audit.record(c, actor, "token.create", target(id), null, listed);
            return new IssuedToken(id, name, role.wireName(), listed.createdAt(), secret);
        });
    }

    /** The actor a presented bearer token stands for, when it is known and not revoked. */
    public Optional<Actor> authenticate(String presented) throws EdgeLoopException {
        if (presented == null || !presented.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        String hash = Secrets.sha256(presented);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM api_tokens WHERE token_sha256 = ? AND revoked_at IS NULL")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs).actor()) : Optional.<Actor>empty();
                }
            }
        });
    }

    public List<ApiToken> list() throws EdgeLoopException {
        return db.transaction(c -> {
            List<ApiToken> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM api_tokens ORDER BY created_at, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    public ApiToken revoke(Actor actor, String id) throws EdgeLoopException {
        return db.transaction(c -> {
            ApiToken before = find(c, id).orElseThrow(() -> new EdgeLoopException(ErrorCode.TOKEN_NOT_FOUND,
                    "no API token has the id '" + id + "'"));
            if (before.revokedAt() != null) {
                return before;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET revoked_at = ? WHERE id = ?")) {
                SqlTimes.set(ps, 1, clock.instant());
                ps.setString(2, id);
                ps.executeUpdate();
            }
            ApiToken after = find(c, id).orElseThrow();
            audit.record(c, actor, "token.revoke", target(id), before, after);
            return after;
        });
    }

    /** Whether any token that is not revoked has the admin role. */
    public boolean hasActiveAdmin() throws EdgeLoopException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM api_tokens WHERE role = 'admin' AND revoked_at IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        });
    }

    private static String target(String id) {
        return "token:" + id;
    }

    private static Optional<ApiToken> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM api_tokens WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static ApiToken row(ResultSet rs) throws SQLException {
        Instant revoked = SqlTimes.get(rs, "revoked_at");
        return new ApiToken(rs.getString("id"), rs.getString("name"), rs.getString("role"),
                SqlTimes.get(rs, "created_at").toString(), rs.getString("created_by"),
                revoked == null ? null : revoked.toString());
    }
}
