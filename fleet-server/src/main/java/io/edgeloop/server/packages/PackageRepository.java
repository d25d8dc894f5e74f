package io.edgeloop.server.packages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.SqlTimes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The package repository: an upload is verified against the trusted publisher keys, recorded
 * and moved to its content address in one transaction, or refused with nothing stored. A delete
 * is refused while anything {@link PackageReferences refers} to the package.
 */
public final class PackageRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database db;
    private final AuditLog audit;
    private final PackageStore store;
    private final PublisherKeys keys;
    private final List<PackageReferences> references;
    private final Clock clock;

    public PackageRepository(Database db, AuditLog audit, PackageStore store, PublisherKeys keys,
                             List<PackageReferences> references, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.store = store;
        this.keys = keys;
        this.references = List.copyOf(references);
        this.clock = clock;
    }

    public PackageStore store() {
        return store;
    }

    /** Verifies and stores an uploaded file (always consumed: moved in or deleted). */
    public StoredPackage accept(Actor actor, Path upload, String sha256, long size) throws EdgeLoopException {
        try {
            VerifiedPackage verified = keys.verify(upload);
            Manifest m = verified.manifest();
            return db.transaction(c -> {
                if (find(c, m.name(), m.version()).isPresent()) {
                    throw exists(m);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO packages (name, version, sha256, size_bytes,"
                        + " framework, key_id, manifest, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, m.name());
                    ps.setString(2, m.version());
                    ps.setString(3, sha256);
                    ps.setLong(4, size);
                    ps.setString(5, m.framework());
                    ps.setString(6, verified.keyId());
                    ps.setString(7, new String(verified.manifestBytes(), StandardCharsets.UTF_8));
                    SqlTimes.set(ps, 8, clock.instant());
                    ps.setString(9, actor.id());
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw exists(m);
                    }
                    throw e;
                }
                StoredPackage stored = find(c, m.name(), m.version()).orElseThrow();
                audit.record(c, actor, "package.upload", target(m.name(), m.version()), null, stored.withoutManifest());
                store.moveIn(upload, sha256);
                return stored;
            });
        } finally {
            PackageStore.discard(upload);
        }
    }

    public List<StoredPackage> list() throws EdgeLoopException {
        return db.transaction(c -> {
            List<StoredPackage> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM packages ORDER BY name, uploaded_at, version");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs).withoutManifest());
                }
            }
            return out;
        });
    }

    public StoredPackage get(String name, String version) throws EdgeLoopException {
        return db.transaction(c -> find(c, name, version).orElseThrow(() -> notFound(name + " " + version)));
    }

    /** The package stored under a content digest. */
    public StoredPackage bySha256(String sha256) throws EdgeLoopException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM packages WHERE sha256 = ?")) {
                ps.setString(1, sha256);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound("with sha256 " + sha256);
                    }
                    return row(rs);
                }
            }
        });
    }

    public StoredPackage delete(Actor actor, String name, String version) throws EdgeLoopException {
        List<String> referrers = new ArrayList<>();
        for (PackageReferences r : references) {
            referrers.addAll(r.referencesTo(name, version));
        }
        if (!referrers.isEmpty()) {
            throw new EdgeLoopException(ErrorCode.PACKAGE_IN_USE, "package " + name + " " + version
                    + " is referred to by " + String.join(", ", referrers));
        }
        StoredPackage deleted = db.transaction(c -> {
            StoredPackage before = find(c, name, version).orElseThrow(() -> notFound(name + " " + version));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM packages WHERE name = ? AND version = ?")) {
                ps.setString(1, name);
                ps.setString(2, version);
                ps.executeUpdate();
            }
            audit.record(c, actor, "package.delete", target(name, version), before.withoutManifest(), null);
            return before;
        });
        boolean shared = db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM packages WHERE sha256 = ?")) {
                ps.setString(1, deleted.sha256());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!shared) {
            store.delete(deleted.sha256());
        }
        return deleted.withoutManifest();
    }

    private static String target(String name, String version) {
        return "package:" + name + "@" + version;
    }

    private static EdgeLoopException exists(Manifest m) {
        return new EdgeLoopException(ErrorCode.PACKAGE_ALREADY_EXISTS, "package " + m.name() + " " + m.version()
                + " is already stored");
    }

    private static EdgeLoopException notFound(String what) {
        return new EdgeLoopException(ErrorCode.PACKAGE_NOT_FOUND, "no package " + what + " is stored");
    }

    private static Optional<StoredPackage> find(Connection c, String name, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM packages WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static StoredPackage row(ResultSet rs) throws SQLException {
        try {
            return new StoredPackage(rs.getString("name"), rs.getString("version"), rs.getString("sha256"),
                    rs.getLong("size_bytes"), rs.getString("framework"), rs.getString("key_id"),
                    SqlTimes.get(rs, "uploaded_at").toString(), rs.getString("uploaded_by"),
                    JSON.readTree(rs.getString("manifest")));
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt manifest column: " + e.getOriginalMessage(), e);
        }
    }
}
