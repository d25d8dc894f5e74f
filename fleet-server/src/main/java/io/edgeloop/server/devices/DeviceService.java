package io.edgeloop.server.devices;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.topic.TopicSegments;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.access.Secrets;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Registering, changing and revoking devices, each change audited in its own transaction.
 * Registering issues a one-time enrolment token (only its sha256 is stored) that expires after
 * {@code enrolTokenTtl}; {@link Enrolment} exchanges it for MQTT credentials.
 */
public final class DeviceService {
    public static final Duration DEFAULT_ENROL_TOKEN_TTL = Duration.ofHours(24);
    static final String ENROL_TOKEN_PREFIX = "ele_";

    private final Database db;
    private final AuditLog audit;
    private final DeviceCredentials credentials;
    private final DeviceRegistry registry;
    private final Clock clock;
    private final Duration enrolTokenTtl;

    public DeviceService(Database db, AuditLog audit, DeviceCredentials credentials, DeviceStateColumns state,
                         Clock clock, Duration enrolTokenTtl) {
        this.db = db;
        this.audit = audit;
        this.credentials = credentials;
        this.registry = new DeviceRegistry(state);
        this.clock = clock;
        this.enrolTokenTtl = enrolTokenTtl;
    }

    /** The prefix of the server's own MQTT client ids and login ({@code edgeloop-server}, {@code edgeloop-ingest.…}). */
    public static final String RESERVED_PREFIX = "edgeloop-";

    /**
     * A device's MQTT client id is its device id, and a broker drops the older of two connections
     * with one client id: a device named like the server's own clients could knock its ingest off.
     */
    private static void checkNotReserved(String deviceId) throws EdgeLoopException {
        if (deviceId.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length())) {
            throw new EdgeLoopException(ErrorCode.DEVICE_ID_RESERVED, "device id '" + deviceId + "' starts with '"
                    + RESERVED_PREFIX + "', which is reserved for the server's own MQTT clients");
        }
    }

    DeviceRegistry registry() {
        return registry;
    }

    public Registration register(Actor actor, String deviceId, String group, Map<String, String> tags)
            throws EdgeLoopException {
        TopicSegments.checkDeviceId(deviceId);
        checkNotReserved(deviceId);
        checkGroup(group);
        checkTags(tags, false);
        Instant now = clock.instant();
        return db.transaction(c -> {
            if (registry.exists(c, deviceId)) {
                throw new EdgeLoopException(ErrorCode.DEVICE_ALREADY_EXISTS, "device '" + deviceId + "' is already registered");
            }
            registry.insert(c, deviceId, group, tags, now);
            Registration registration = newEnrolToken(c, deviceId, now);
            audit.record(c, actor, "device.register", target(deviceId), null, registry.find(c, deviceId).orElseThrow());
            return registration;
        });
    }

    /** A fresh enrolment token for a registered device that is not revoked (the old ones stop working). */
    public Registration reissueEnrolToken(Actor actor, String deviceId) throws EdgeLoopException {
        Instant now = clock.instant();
        return db.transaction(c -> {
            Device device = require(c, deviceId);
            if (device.revokedAt() != null) {
                throw new EdgeLoopException(ErrorCode.DEVICE_REVOKED, "device '" + deviceId + "' was revoked");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE enrol_tokens SET used_at = ? WHERE device_id = ? AND used_at IS NULL")) {
                SqlTimes.set(ps, 1, now);
                ps.setString(2, deviceId);
                ps.executeUpdate();
            }
            Registration registration = newEnrolToken(c, deviceId, now);
            audit.record(c, actor, "device.enrol-token", target(deviceId), null,
                    Map.of("expiresAt", registration.expiresAt()));
            return registration;
        });
    }

    public Device get(String deviceId) throws EdgeLoopException {
        return db.transaction(c -> require(c, deviceId));
    }

    public List<Device> list(DeviceFilter filter) throws EdgeLoopException {
        return db.transaction(c -> registry.list(c, filter));
    }

    public Device patch(Actor actor, String deviceId, DevicePatch patch) throws EdgeLoopException {
        if (patch.setGroup()) {
            checkGroup(patch.group());
        }
        checkTags(patch.tags(), true);
        Instant now = clock.instant();
        return db.transaction(c -> {
            Device before = require(c, deviceId);
            if (patch.setGroup()) {
                registry.setGroup(c, deviceId, patch.group(), now);
            }
            registry.changeTags(c, deviceId, patch.tags());
            if (patch.setDesired()) {
                if (patch.desired() != null) {
                    requirePackage(c, patch.desired());
                }
                registry.setDesired(c, deviceId, patch.desired());
            }
            Device after = require(c, deviceId);
            audit.record(c, actor, "device.update", target(deviceId), before, after);
            return after;
        });
    }

    /** Revokes the device and its MQTT credentials; the listeners hear of it once committed. */
    public Device revoke(Actor actor, String deviceId) throws EdgeLoopException {
        Instant now = clock.instant();
        Device after = db.transaction(c -> {
            Device before = require(c, deviceId);
            registry.markRevoked(c, deviceId, now);
            credentials.revoke(c, deviceId);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE enrol_tokens SET used_at = ? WHERE device_id = ? AND used_at IS NULL")) {
                SqlTimes.set(ps, 1, now);
                ps.setString(2, deviceId);
                ps.executeUpdate();
            }
            Device revoked = require(c, deviceId);
            audit.record(c, actor, "device.revoke", target(deviceId), before, revoked);
            return revoked;
        });
        credentials.fire(deviceId, CredentialsListener.Change.REVOKED);
        return after;
    }

    static String target(String deviceId) {
        return "device:" + deviceId;
    }

    Device require(Connection c, String deviceId) throws SQLException, EdgeLoopException {
        return registry.find(c, deviceId).orElseThrow(() -> new EdgeLoopException(ErrorCode.DEVICE_NOT_FOUND,
                "no device '" + deviceId + "' is registered"));
    }

    private Registration newEnrolToken(Connection c, String deviceId, Instant now) throws SQLException {
        String token = Secrets.random(ENROL_TOKEN_PREFIX, 32);
        Instant expires = now.plus(enrolTokenTtl);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO enrol_tokens (token_sha256, device_id, created_at,"
                + " expires_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, Secrets.sha256(token));
            ps.setString(2, deviceId);
            SqlTimes.set(ps, 3, now);
            SqlTimes.set(ps, 4, expires);
            ps.executeUpdate();
        }
        return new Registration(deviceId, token, expires.toString());
    }

    private static void requirePackage(Connection c, Device.DesiredModel desired) throws SQLException, EdgeLoopException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM packages WHERE name = ? AND version = ?")) {
            ps.setString(1, desired.packageName());
            ps.setString(2, desired.version());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new EdgeLoopException(ErrorCode.PACKAGE_NOT_FOUND, "no package " + desired.packageName()
                            + " " + desired.version() + " is stored; upload it before making it a device's desired model");
                }
            }
        }
    }

    private static void checkGroup(String group) throws EdgeLoopException {
        if (group != null && TopicSegments.problem(group) != null) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "group name " + TopicSegments.problem(group)
                    + " (" + TopicSegments.printable(group) + ")");
        }
    }

    private static void checkTags(Map<String, String> tags, boolean nullValuesAllowed) throws EdgeLoopException {
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String k = e.getKey();
            if (k.isEmpty() || k.length() > 128 || k.indexOf('=') >= 0 || TopicSegments.problem(k) != null) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "tag key " + TopicSegments.printable(k)
                        + " must be 1 to 128 characters without '=', '/', '+', '#' or control characters");
            }
            if (e.getValue() == null ? !nullValuesAllowed : e.getValue().length() > 512) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "tag '" + k + "' needs a value of at most 512 characters");
            }
        }
    }
}
