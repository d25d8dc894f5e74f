package io.edgeloop.server;

import io.edgeloop.server.captures.CaptureRetention;
import io.edgeloop.server.ingest.FleetMqttOptions;

import io.edgeloop.server.devices.DeviceService;
import io.edgeloop.server.packages.DownloadTokens;
import io.edgeloop.server.api.PackageRoutes;
import io.edgeloop.server.registry.EvaluationGate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@code edgeloop server} is configured with, validated once.
 *
 * @param httpPort         REST port (0 picks a free one)
 * @param mqttPort         embedded broker port (0 picks a free one); unused with {@code mqttUrl}
 * @param dataDir          H2 database, package store, admin token
 * @param mqttUrl          an external broker (e.g. {@code tcp://mosquitto:1883}) instead of the embedded one; null: embedded
 * @param advertisedMqttUrl the broker URL handed to enrolling agents; null: derived from the above
 * @param dbUrl            JDBC URL (PostgreSQL at fleet scale); null: the embedded H2 file database
 * @param dbUser           database user (with {@code dbUrl})
 * @param dbPassword       database password (with {@code dbUrl})
 * @param trustedKeys      publisher public keys uploads must be signed with
 * @param maxPackageBytes  largest accepted upload
 * @param enrolTokenTtl    how long an enrolment token works
 * @param downloadTokenTtl how long a download token works
 * @param gateTolerance    accuracy a candidate model may lose against production
 * @param mosquittoDir     with {@code mqttUrl}: the folder the server writes Mosquitto's {@code passwd} and
 *                         {@code acl} into; null: the broker's logins are managed elsewhere
 * @param mosquittoPidFile Mosquitto's pid file, sent SIGHUP after those files change; or null
 * @param replicaId        this replica's stable id (its MQTT ingest session; {@code ingested_by})
 * @param advertisedHttpUrl the server URL devices download packages from (job documents' {@code downloadUrl});
 *                         null: {@code http://localhost:HTTP_PORT}
 * @param signingKey       the server's Ed25519 private key ({@code edgeloop keygen}) the packages it builds are
 *                         signed with (its public key is trusted as well); null: the server cannot publish packages
 * @param retrainingInterval how often the retraining service evaluates each model's policy
 * @param captureRetention how long and how much of the fleet's captures the server keeps
 *                         ({@code --capture-max-age}, {@code --capture-device-quota-bytes},
 *                         {@code --capture-total-quota-bytes})
 */
public record FleetServerOptions(int httpPort, int mqttPort, Path dataDir, String mqttUrl, String advertisedMqttUrl,
                                 String dbUrl, String dbUser, String dbPassword, List<Path> trustedKeys,
                                 long maxPackageBytes, Duration enrolTokenTtl, Duration downloadTokenTtl,
                                 double gateTolerance, Path mosquittoDir, Path mosquittoPidFile, String replicaId,
                                 String advertisedHttpUrl, Path signingKey, Duration retrainingInterval,
                                 CaptureRetention captureRetention) {
    public static final int DEFAULT_HTTP_PORT = 8090;
    public static final int DEFAULT_MQTT_PORT = 1883;
    public static final long DEFAULT_MAX_PACKAGE_BYTES = PackageRoutes.DEFAULT_MAX_PACKAGE_BYTES;
    public static final Duration DEFAULT_ENROL_TOKEN_TTL = DeviceService.DEFAULT_ENROL_TOKEN_TTL;
    public static final Duration DEFAULT_DOWNLOAD_TOKEN_TTL = DownloadTokens.DEFAULT_TTL;
    public static final Duration DEFAULT_RETRAINING_INTERVAL = Duration.ofSeconds(30);

    public FleetServerOptions {
        if (httpPort < 0 || httpPort > 65535 || mqttPort < 0 || mqttPort > 65535) {
            throw new IllegalArgumentException("ports must be 0..65535");
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("a data directory is required");
        }
        if (maxPackageBytes < 1) {
            throw new IllegalArgumentException("--max-package-bytes must be positive");
        }
        if (enrolTokenTtl.isNegative() || enrolTokenTtl.isZero() || downloadTokenTtl.isNegative() || downloadTokenTtl.isZero()) {
            throw new IllegalArgumentException("token lifetimes must be positive");
        }
        trustedKeys = List.copyOf(trustedKeys);
        if (retrainingInterval == null) {
            retrainingInterval = DEFAULT_RETRAINING_INTERVAL;
        }
        if (retrainingInterval.isNegative() || retrainingInterval.isZero()) {
            throw new IllegalArgumentException("--retraining-interval must be positive");
        }
        if (captureRetention == null) {
            throw new IllegalArgumentException("a capture retention is required");
        }
    }

    /** Embedded defaults in {@code dataDir} on the given ports (tests pass 0). */
    public static FleetServerOptions embedded(Path dataDir, int httpPort, int mqttPort) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, null, null, null, null, null, List.of(),
                DEFAULT_MAX_PACKAGE_BYTES, DEFAULT_ENROL_TOKEN_TTL, DEFAULT_DOWNLOAD_TOKEN_TTL,
                EvaluationGate.Options.DEFAULT_TOLERANCE, null, null, FleetMqttOptions.DEFAULT_REPLICA_ID, null, null, DEFAULT_RETRAINING_INTERVAL,
                CaptureRetention.defaults());
    }

    public FleetServerOptions withDatabase(String url, String user, String password) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl, url, user, password,
                trustedKeys, maxPackageBytes, enrolTokenTtl, downloadTokenTtl, gateTolerance,
                mosquittoDir, mosquittoPidFile, replicaId, advertisedHttpUrl, signingKey, retrainingInterval, captureRetention);
    }

    public FleetServerOptions withTrustedKeys(List<Path> keys) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl, dbUrl, dbUser, dbPassword,
                keys, maxPackageBytes, enrolTokenTtl, downloadTokenTtl, gateTolerance,
                mosquittoDir, mosquittoPidFile, replicaId, advertisedHttpUrl, signingKey, retrainingInterval, captureRetention);
    }

    public FleetServerOptions withMaxPackageBytes(long bytes) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl, dbUrl, dbUser, dbPassword,
                trustedKeys, bytes, enrolTokenTtl, downloadTokenTtl, gateTolerance,
                mosquittoDir, mosquittoPidFile, replicaId, advertisedHttpUrl, signingKey, retrainingInterval, captureRetention);
    }

    public FleetServerOptions withTokenLifetimes(Duration enrol, Duration download) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl, dbUrl, dbUser, dbPassword,
                trustedKeys, maxPackageBytes, enrol, download, gateTolerance,
                mosquittoDir, mosquittoPidFile, replicaId, advertisedHttpUrl, signingKey, retrainingInterval, captureRetention);
    }

    /** An external broker at {@code url}, whose files the server writes into {@code mosquittoDir} (or not, when null). */
    public FleetServerOptions withExternalBroker(String url, Path mosquittoDir, Path mosquittoPidFile) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, url, advertisedMqttUrl, dbUrl, dbUser, dbPassword,
                trustedKeys, maxPackageBytes, enrolTokenTtl, downloadTokenTtl, gateTolerance, mosquittoDir, mosquittoPidFile,
                replicaId, advertisedHttpUrl, signingKey, retrainingInterval, captureRetention);
    }

    public FleetServerOptions withReplicaId(String id) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl, dbUrl, dbUser, dbPassword,
                trustedKeys, maxPackageBytes, enrolTokenTtl, downloadTokenTtl, gateTolerance, mosquittoDir, mosquittoPidFile,
                id, advertisedHttpUrl, signingKey, retrainingInterval, captureRetention);
    }

    /** Devices download packages from {@code url} (a load balancer's, or this host's public name). */
    public FleetServerOptions withAdvertisedHttpUrl(String url) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl, dbUrl, dbUser, dbPassword,
                trustedKeys, maxPackageBytes, enrolTokenTtl, downloadTokenTtl, gateTolerance, mosquittoDir, mosquittoPidFile,
                replicaId, url, signingKey, retrainingInterval, captureRetention);
    }

    /** Signs the packages the server builds with {@code privateKey} (also trusted as a publisher key). */
    public FleetServerOptions withSigningKey(Path privateKey) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl, dbUrl, dbUser, dbPassword,
                trustedKeys, maxPackageBytes, enrolTokenTtl, downloadTokenTtl, gateTolerance, mosquittoDir, mosquittoPidFile,
                replicaId, advertisedHttpUrl, privateKey, retrainingInterval, captureRetention);
    }

    public FleetServerOptions withRetrainingInterval(Duration interval) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl, dbUrl, dbUser, dbPassword,
                trustedKeys, maxPackageBytes, enrolTokenTtl, downloadTokenTtl, gateTolerance, mosquittoDir, mosquittoPidFile,
                replicaId, advertisedHttpUrl, signingKey, interval, captureRetention);
    }

    /** The base URL job documents' download links start with. */
    public String deviceHttpUrl(int boundHttpPort) {
        if (advertisedHttpUrl != null) {
            return advertisedHttpUrl.endsWith("/") ? advertisedHttpUrl.substring(0, advertisedHttpUrl.length() - 1)
                    : advertisedHttpUrl;
        }
        return "http://localhost:" + boundHttpPort;
    }

    /** The MQTT half's options: the embedded broker, or the external one with Mosquitto's files. */
    public FleetMqttOptions mqtt() {
        FleetMqttOptions m = mqttUrl == null ? FleetMqttOptions.embedded(dataDir, mqttPort)
                : FleetMqttOptions.external(dataDir, mqttUrl, mosquittoDir, mosquittoPidFile);
        return m.withReplicaId(replicaId == null ? FleetMqttOptions.DEFAULT_REPLICA_ID : replicaId);
    }

    /** The broker URL enrolling agents get. */
    public String agentMqttUrl(int boundMqttPort) {
        if (advertisedMqttUrl != null) {
            return advertisedMqttUrl;
        }
        return mqttUrl != null ? mqttUrl : "tcp://localhost:" + boundMqttPort;
    }

    /** Keeps the fleet's captures as {@code retention} says. */
    public FleetServerOptions withCaptureRetention(CaptureRetention retention) {
        return new FleetServerOptions(httpPort, mqttPort, dataDir, mqttUrl, advertisedMqttUrl, dbUrl, dbUser, dbPassword,
                trustedKeys, maxPackageBytes, enrolTokenTtl, downloadTokenTtl, gateTolerance, mosquittoDir, mosquittoPidFile,
                replicaId, advertisedHttpUrl, signingKey, retrainingInterval, retention);
    }
}
