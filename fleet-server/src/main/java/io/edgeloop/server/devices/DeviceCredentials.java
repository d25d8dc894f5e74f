package io.edgeloop.server.devices;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.access.Secrets;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.SqlTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Per-device MQTT credentials: username = device id, a random password handed to the agent once
 * at enrolment, stored only as a Mosquitto {@code $7$} hash. The broker side asks
 * {@link #authenticate} on every connect and {@link #isRevoked} before delivering, reads
 * {@link #active} to write Mosquitto's password file, and registers a {@link CredentialsListener}
 * to hear of issued and revoked credentials.
 */
public final class DeviceCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceCredentials.class);

    /** A username and its stored hash, as one line of a Mosquitto password file. */
    public record Stored(String username, String passwordHash) {
        public String passwdLine() {
            return username + ":" + passwordHash;
        }
    }

    private final Database db;
    private final Clock clock;
    private final List<CredentialsListener> listeners = new CopyOnWriteArrayList<>();

    public DeviceCredentials(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void addListener(CredentialsListener listener) {
        listeners.add(listener);
    }

    public void removeListener(CredentialsListener listener) {
        listeners.remove(listener);
    }

    /** The device id when {@code username} has credentials, they are not revoked and the password matches. */
    public Optional<String> authenticate(String username, byte[] password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        try {
            Optional<String> hash = db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM device_credentials"
                        + " WHERE username = ? AND revoked_at IS NULL")) {
                    ps.setString(1, username);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                    }
                }
            });
            return hash.filter(h -> MosquittoPasswordHash.verify(h, password)).map(h -> username);
        } catch (EdgeLoopException e) {
            LOG.error("cannot check the MQTT login of {}: {}", username, e.describe());
            return Optional.empty();
        }
    }

    /** Whether the device's credentials (or the device) were revoked; a device never enrolled is not. */
    public boolean isRevoked(String deviceId) {
        try {
            return db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT d.revoked_at AS d_rev, c.revoked_at AS c_rev"
                        + " FROM devices d LEFT JOIN device_credentials c ON c.device_id = d.id WHERE d.id = ?")) {
                    ps.setString(1, deviceId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() && (SqlTimes.get(rs, "d_rev") != null || SqlTimes.get(rs, "c_rev") != null);
                    }
                }
            });
        } catch (EdgeLoopException e) {
            LOG.error("cannot read the revocation state of {}: {}", deviceId, e.describe());
            return true;
        }
    }

    /** Every credential that is not revoked, for Mosquitto's password file. */
    public List<Stored> active() throws EdgeLoopException {
        return db.transaction(c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT username, password_hash FROM device_credentials"
                    + " WHERE revoked_at IS NULL ORDER BY username");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    /** Replaces the device's credentials inside the caller's transaction; returns the new password. */
    String issue(Connection c, String deviceId) throws SQLException {
        String password = Secrets.random("", 24);
        try (PreparedStatement del = c.prepareStatement("DELETE FROM device_credentials WHERE device_id = ?")) {
            del.setString(1, deviceId);
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_credentials (device_id, username,"
                + " password_hash, issued_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, deviceId);
            ps.setString(2, deviceId);
            ps.setString(3, MosquittoPasswordHash.hash(password.getBytes(StandardCharsets.UTF_8)));
            SqlTimes.set(ps, 4, clock.instant());
            ps.executeUpdate();
        }
        return password;
    }

    /** Marks the device's credentials revoked inside the caller's transaction. */
    void revoke(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE device_credentials SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL")) {
            SqlTimes.set(ps, 1, clock.instant());
            ps.setString(2, deviceId);
            ps.executeUpdate();
        }
    }

    /** Tells the listeners, after the change was committed; a failing listener does not stop the others. */
    void fire(String deviceId, CredentialsListener.Change change) {
        for (CredentialsListener l : listeners) {
            try {
                l.credentialsChanged(deviceId, change);
            } catch (RuntimeException e) {
                LOG.error("credentials listener {} failed on {} {}", l, change, deviceId, e);
            }
        }
    }
}
