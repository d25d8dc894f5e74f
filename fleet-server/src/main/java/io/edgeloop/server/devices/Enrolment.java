package io.edgeloop.server.devices;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.topic.TopicSegments;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.access.Secrets;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.SqlTimes;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The enrolment exchange: a device presents its id and one-time token and gets MQTT
 * credentials. The token is burnt in the same transaction (a conditional update, so two
 * concurrent uses cannot both win); an unknown, used or foreign token is ENROL_TOKEN_INVALID
 * (401), an expired one ENROL_TOKEN_EXPIRED (403).
 */
public final class Enrolment {
    /** What the agent keeps: where the broker is and its own credentials. */
    public record Result(String deviceId, String mqttUrl, String mqttUsername, String mqttPassword) {
    }

    private final Database db;
    private final AuditLog audit;
    private final DeviceService devices;
    private final DeviceCredentials credentials;
    private final Clock clock;
    private final String mqttUrl;

    public Enrolment(Database db, AuditLog audit, DeviceService devices, DeviceCredentials credentials, Clock clock,
                     String mqttUrl) {
        this.db = db;
        this.audit = audit;
        this.devices = devices;
        this.credentials = credentials;
        this.clock = clock;
        this.mqttUrl = mqttUrl;
    }

    public Result enrol(String deviceId, String enrolToken, String profile) throws EdgeLoopException {
        TopicSegments.checkDeviceId(deviceId);
        if (enrolToken == null || !enrolToken.startsWith(DeviceService.ENROL_TOKEN_PREFIX)) {
            throw invalid();
        }
        String hash = Secrets.sha256(enrolToken);
        Instant now = clock.instant();
        Result result = db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT device_id, expires_at, used_at FROM enrol_tokens WHERE token_sha256 = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !deviceId.equals(rs.getString("device_id")) || SqlTimes.get(rs, "used_at") != null) {
                        throw invalid();
                    }
                    if (!SqlTimes.get(rs, "expires_at").isAfter(now)) {
                        throw new EdgeLoopException(ErrorCode.ENROL_TOKEN_EXPIRED, "the enrolment token of '" + deviceId
                                + "' expired at " + SqlTimes.get(rs, "expires_at"));
                    }
                }
            }
            try (PreparedStatement burn = c.prepareStatement(
                    "UPDATE enrol_tokens SET used_at = ? WHERE token_sha256 = ? AND used_at IS NULL")) {
                SqlTimes.set(burn, 1, now);
                burn.setString(2, hash);
                if (burn.executeUpdate() != 1) {
                    throw invalid();
                }
            }
            Device before = devices.require(c, deviceId);
            if (before.revokedAt() != null) {
                throw new EdgeLoopException(ErrorCode.DEVICE_REVOKED, "device '" + deviceId + "' was revoked");
            }
            String password = credentials.issue(c, deviceId);
            devices.registry().markEnrolled(c, deviceId, profile, now);
            audit.record(c, Actor.device(deviceId), "device.enrol", DeviceService.target(deviceId), before,
                    Map.of("device", devices.require(c, deviceId), "mqttUsername", deviceId));
            return new Result(deviceId, mqttUrl, deviceId, password);
        });
        credentials.fire(deviceId, CredentialsListener.Change.ISSUED);
        return result;
    }

    private static EdgeLoopException invalid() {
        return new EdgeLoopException(ErrorCode.ENROL_TOKEN_INVALID,
                "the enrolment token is unknown, already used or issued for another device");
    }
}
