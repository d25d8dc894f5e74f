package io.edgeloop.server.ingest;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's MQTT side, configured once.
 *
 * @param embeddedHost interface the embedded broker binds
 * @param embeddedPort embedded broker port (0 = a free one); unused with {@code externalUrl}
 * @param externalUrl an external broker ({@code tcp://host:port}, Mosquitto) instead of the
 *     embedded one, or null
 * @param mosquittoDir with an external broker: the folder the server writes Mosquitto's
 *     {@code passwd} and {@code acl} files into, or null when the broker's accounts are managed
 *     elsewhere
 * @param mosquittoPidFile Mosquitto's pid file, signalled (SIGHUP) after the files change; or null
 * @param serverPasswordFile the server's own broker password (shared by replicas of one broker)
 * @param replicaId stable id of this server replica: its ingest client id and {@code ingested_by}
 * @param rawRetention how long raw telemetry is kept before it is folded into hourly aggregates
 * @param sharedSubscriptions with an external broker: subscribe through {@code $share/…} so replicas
 *     split the load (true, the default), or plainly. Mosquitto 2.0.11 does not restore a shared
 *     subscription after its own restart; the ingest subscribes again on reconnect, and agents hold
 *     their telemetry until it announces itself ({@code Topics.INGEST_PRESENCE})
 * @param filesRefresh with Mosquitto's files: how often this replica renders them from the
 *     database again (logins issued or revoked on other replicas), rewriting only what changed
 */
public record FleetMqttOptions(String embeddedHost, int embeddedPort, String externalUrl, Path mosquittoDir,
                               Path mosquittoPidFile, Path serverPasswordFile, String replicaId, Duration rawRetention,
                               boolean sharedSubscriptions, Duration filesRefresh) {
    public static final String DEFAULT_EMBEDDED_HOST = "0.0.0.0";
    public static final int DEFAULT_EMBEDDED_PORT = 1883;
    public static final Duration DEFAULT_RAW_RETENTION = Duration.ofDays(7);
    public static final String DEFAULT_REPLICA_ID = "edgeloop-server-1";
    public static final Duration DEFAULT_FILES_REFRESH = Duration.ofSeconds(10);

    public FleetMqttOptions {
        if (externalUrl == null && (embeddedPort < 0 || embeddedPort > 65535)) {
            throw new IllegalArgumentException("the MQTT port must be 0..65535, was " + embeddedPort);
        }
        if (serverPasswordFile == null) {
            throw new IllegalArgumentException("the server's MQTT password file is required");
        }
        if (filesRefresh == null || filesRefresh.toMillis() < 100) {
            throw new IllegalArgumentException("the Mosquitto files refresh must be at least 100 ms, was " + filesRefresh);
        }
        if (replicaId == null || !replicaId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("the replica id must be 1-64 letters, digits, '.', '_' or '-', not " + replicaId);
        }
    }

    /** The embedded broker on {@code port}, everything else defaulted under {@code dataDir}. */
    public static FleetMqttOptions embedded(Path dataDir, int port) {
        return new FleetMqttOptions(DEFAULT_EMBEDDED_HOST, port, null, null, null,
                dataDir.resolve(io.edgeloop.server.broker.ServerMqttLogin.DEFAULT_FILE), DEFAULT_REPLICA_ID,
                DEFAULT_RAW_RETENTION, true, DEFAULT_FILES_REFRESH);
    }

    /** An external broker at {@code url}, maintaining Mosquitto's files in {@code mosquittoDir} (or not, when null). */
    public static FleetMqttOptions external(Path dataDir, String url, Path mosquittoDir, Path pidFile) {
        return new FleetMqttOptions(DEFAULT_EMBEDDED_HOST, 0, url, mosquittoDir, pidFile,
                dataDir.resolve(io.edgeloop.server.broker.ServerMqttLogin.DEFAULT_FILE), DEFAULT_REPLICA_ID,
                DEFAULT_RAW_RETENTION, true, DEFAULT_FILES_REFRESH);
    }

    public FleetMqttOptions withReplicaId(String id) {
        return new FleetMqttOptions(embeddedHost, embeddedPort, externalUrl, mosquittoDir, mosquittoPidFile,
                serverPasswordFile, id, rawRetention, sharedSubscriptions, filesRefresh);
    }

    public FleetMqttOptions withServerPasswordFile(Path file) {
        return new FleetMqttOptions(embeddedHost, embeddedPort, externalUrl, mosquittoDir, mosquittoPidFile, file,
                replicaId, rawRetention, sharedSubscriptions, filesRefresh);
    }

    public FleetMqttOptions withRawRetention(Duration d) {
        return new FleetMqttOptions(embeddedHost, embeddedPort, externalUrl, mosquittoDir, mosquittoPidFile,
                serverPasswordFile, replicaId, d, sharedSubscriptions, filesRefresh);

    }

    /** One replica on an external broker: a plain subscription instead of a shared one. */
    public FleetMqttOptions withoutSharedSubscriptions() {
        return new FleetMqttOptions(embeddedHost, embeddedPort, externalUrl, mosquittoDir, mosquittoPidFile,
                serverPasswordFile, replicaId, rawRetention, false, filesRefresh);
    }
}
