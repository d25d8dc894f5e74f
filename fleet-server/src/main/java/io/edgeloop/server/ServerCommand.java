package io.edgeloop.server;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.captures.CaptureRetention;
import io.edgeloop.server.registry.EvaluationGate;
import io.edgeloop.server.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code edgeloop server}: the fleet server on embedded defaults (H2 file database and the
 * embedded broker in {@code --data-dir}), or PostgreSQL and an external broker by configuration.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the fleet server (REST API, devices, packages, training).")
public final class ServerCommand implements Callable<Integer> {

    @Option(names = {"--http-port", "--port"}, description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int httpPort = FleetServerOptions.DEFAULT_HTTP_PORT;

    @Option(names = "--mqtt-port", description = "Embedded MQTT broker port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int mqttPort = FleetServerOptions.DEFAULT_MQTT_PORT;

    @Option(names = "--mqtt-url", description = "An external MQTT broker (tcp://host:1883) instead of the embedded one.")
    String mqttUrl;

    @Option(names = "--mqtt-advertised-url", description = "The broker URL enrolling agents get (default: the external URL, or tcp://localhost:MQTT_PORT).")
    String advertisedMqttUrl;

    @Option(names = "--data-dir", description = "Database, packages and admin token folder (default: ${DEFAULT-VALUE}).")
    Path dataDir = Database.DEFAULT_DATA_DIR;

    @Option(names = "--db-url", description = "JDBC URL, e.g. jdbc:postgresql://host/edgeloop (default: H2 in --data-dir; env EDGELOOP_DB_URL).")
    String dbUrl = System.getenv("EDGELOOP_DB_URL");

    @Option(names = "--db-user", description = "Database user (env EDGELOOP_DB_USER).")
    String dbUser = System.getenv("EDGELOOP_DB_USER");

    @Option(names = "--db-password", description = "Database password (env EDGELOOP_DB_PASSWORD).")
    String dbPassword = System.getenv("EDGELOOP_DB_PASSWORD");

    @Option(names = "--trusted-key", description = "A publisher's public key (.pub) uploads must be signed with; repeatable.")
    List<Path> trustedKeys = new ArrayList<>();

    @Option(names = "--max-package-bytes", description = "Largest package upload (default: ${DEFAULT-VALUE}).")
    long maxPackageBytes = FleetServerOptions.DEFAULT_MAX_PACKAGE_BYTES;

    @Option(names = "--enrol-token-ttl", description = "How long an enrolment token works, ISO-8601 (default: PT24H).")
    Duration enrolTokenTtl = FleetServerOptions.DEFAULT_ENROL_TOKEN_TTL;

    @Option(names = "--download-token-ttl", description = "How long a package download token works, ISO-8601 (default: PT1H).")
    Duration downloadTokenTtl = FleetServerOptions.DEFAULT_DOWNLOAD_TOKEN_TTL;

    @Option(names = "--mosquitto-dir", description = "With --mqtt-url: the folder to write Mosquitto's passwd and acl files into (its password_file and acl_file).")
    Path mosquittoDir;

    @Option(names = "--mosquitto-pid-file", description = "Mosquitto's pid file: the server sends SIGHUP after rewriting its files.")
    Path mosquittoPidFile;

    @Option(names = "--replica-id", description = "This replica's stable id: its persistent MQTT session and the ingested_by of what it stores (default: ${DEFAULT-VALUE}).")
    String replicaId = io.edgeloop.server.ingest.FleetMqttOptions.DEFAULT_REPLICA_ID;

    @Option(names = "--gate-tolerance", description = "Accuracy a candidate may lose against production (default: 0.005).")
    double gateTolerance = EvaluationGate.Options.DEFAULT_TOLERANCE;

    @Option(names = "--http-advertised-url", description = "The server URL devices download packages from, in job documents (default: http://localhost:HTTP_PORT).")
    String advertisedHttpUrl;

    @Option(names = "--signing-key", description = "The server's Ed25519 private key (edgeloop keygen) to sign the packages it builds; its public key is trusted too and must be the agents' --pubkey.")
    Path signingKey;

    @Option(names = "--capture-max-age", description = "How long captured samples are kept, ISO-8601 (default: P30D).")
    Duration captureMaxAge = CaptureRetention.DEFAULT_MAX_AGE;

    @Option(names = "--capture-device-quota-bytes", description = "Most bytes of captured inputs kept per device; the oldest go first, unlabelled before labelled (default: ${DEFAULT-VALUE}; 0 = no limit).")
    long captureDeviceQuotaBytes = CaptureRetention.DEFAULT_DEVICE_QUOTA_BYTES;

    @Option(names = "--capture-total-quota-bytes", description = "Most bytes of captured inputs kept of all devices together (default: ${DEFAULT-VALUE}; 0 = no limit).")
    long captureTotalQuotaBytes = CaptureRetention.DEFAULT_TOTAL_QUOTA_BYTES;

    @Option(names = "--retraining-interval", description = "How often each model's retraining policy is evaluated, ISO-8601 (default: PT30S).")
    Duration retrainingInterval = FleetServerOptions.DEFAULT_RETRAINING_INTERVAL;

    @Override
    public Integer call() throws Exception {
        CaptureRetention captures;
        try {
            captures = new CaptureRetention(captureMaxAge, captureDeviceQuotaBytes, captureTotalQuotaBytes);
        } catch (IllegalArgumentException e) {
            System.err.println("edgeloop server: INVALID_ARGUMENT: " + e.getMessage());
            return 2;
        }
        FleetServerOptions options = new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl,
                dbUrl, dbUser, dbPassword, trustedKeys, maxPackageBytes, enrolTokenTtl, downloadTokenTtl, gateTolerance,
                mosquittoDir, mosquittoPidFile, replicaId, advertisedHttpUrl, signingKey,
                retrainingInterval, captures);
        try (FleetServer server = FleetServer.start(options, FleetServer.Plugins.defaults().withMqtt())) {
            System.err.printf("edgeloop server listening on http://localhost:%d/api/v1 (OpenAPI at /openapi.yaml; data in %s; %s)%n",
                    server.httpPort(), dataDir.toAbsolutePath(),
                    mqttUrl != null ? "MQTT broker " + mqttUrl : "embedded MQTT on port " + server.mqttPort());
            if (server.adminTokenFile() != null) {
                System.err.printf("first start: admin API token written to %s (owner-only)%n", server.adminTokenFile().toAbsolutePath());
            }
            System.err.printf("dashboard at http://localhost:%d/dashboard/ (sign in with a viewer token or better)%n",
                    server.httpPort());
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        } catch (EdgeLoopException e) {
            System.err.println("edgeloop server: " + e.describe());
            return 2;
        }
        return 0;
    }
}
