package io.edgeloop.server;

import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.ErrorResponse;
import io.edgeloop.server.api.ApiRouter;
import io.edgeloop.server.broker.CredentialCheck;
import io.edgeloop.server.api.CaptureCommandRoutes;
import io.edgeloop.server.api.CaptureRoutes;
import io.edgeloop.server.captures.CaptureHousekeeping;
import io.edgeloop.server.captures.CaptureIngestSink;
import io.edgeloop.server.captures.CaptureStore;
import io.edgeloop.server.captures.CaptureSwitch;
import io.edgeloop.server.devices.CredentialsListener;
import io.edgeloop.server.ingest.FleetMqtt;
import io.edgeloop.server.telemetry.DeviceStates;
import io.edgeloop.server.telemetry.TelemetryQueries;
import io.edgeloop.server.api.TelemetryRoutes;
import io.edgeloop.server.api.FleetOverviewRoutes;
import io.edgeloop.server.dashboard.DashboardAssets;
import io.edgeloop.server.telemetry.DriftSeries;
import io.edgeloop.server.api.HttpErrors;
import io.edgeloop.server.api.OpenApiDocument;
import io.edgeloop.server.api.TrainingRoutes;
import io.edgeloop.server.api.DatasetRoutes;
import io.edgeloop.server.datasets.DatasetStore;
import io.edgeloop.server.datasets.PiiKeyFile;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.api.AuditRoutes;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.auth.ApiTokens;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.api.TokenRoutes;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.devices.DeviceCredentials;
import io.edgeloop.server.api.DeviceRoutes;
import io.edgeloop.server.devices.DeviceService;
import io.edgeloop.server.devices.DeviceStateColumns;
import io.edgeloop.server.devices.Enrolment;
import io.edgeloop.server.packages.DesiredModelReferences;
import io.edgeloop.server.packages.DownloadTokens;
import io.edgeloop.server.packages.PackageReferences;
import io.edgeloop.server.packages.PackageRepository;
import io.edgeloop.server.api.PackageRoutes;
import io.edgeloop.server.packages.PackageStore;
import io.edgeloop.server.packages.PublisherKeys;
import io.edgeloop.server.api.PublishRoutes;
import io.edgeloop.server.api.RetrainingRoutes;
import io.edgeloop.server.retraining.Retraining;
import io.edgeloop.server.publish.ModelPublisher;
import io.edgeloop.server.publish.ServerQuantizers;
import io.edgeloop.server.publish.SigningKey;
import io.edgeloop.server.publish.VersionPackager;
import io.edgeloop.server.registry.EvaluationGate;
import io.edgeloop.server.api.RolloutRoutes;
import io.edgeloop.server.rollout.JobUpdateHandler;
import io.edgeloop.server.rollout.MqttJobPublisher;
import io.edgeloop.server.rollout.RolloutEngine;
import io.edgeloop.server.rollout.RolloutReferences;
import io.edgeloop.server.rollout.Rollouts;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.registry.ModelVersionRepository;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.tracking.RunRepository;
import io.edgeloop.server.training.CodeVersion;
import io.edgeloop.server.training.TrainingPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The fleet server's composition: builds its components in dependency order (database, audit,
 * tokens, devices and credentials, packages, training, HTTP, broker) and closes them in reverse.
 * Every {@code new} of the server process is here or in {@code ServerCommand}.
 */
public final class FleetServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FleetServer.class);
    private static final DeviceStateColumns REPORTED_STATE = new DeviceStateColumns(
            "LEFT JOIN device_state s ON s.device_id = d.id", "s.online", "s.model_name", "s.model_version");

    /**
     * What tests and later issues plug in: the clock, whether the MQTT half runs (broker or
     * Mosquitto's files, ingest; off by default so REST tests need no broker), who refers to packages.
     */
    public record Plugins(Clock clock, boolean mqtt, List<PackageReferences> packageReferences,
                          RolloutEngine.Options engine) {
        public static Plugins defaults() {
            return new Plugins(Clock.systemUTC(), false, List.of(), RolloutEngine.Options.DEFAULTS);
        }

        public Plugins withClock(Clock c) {
            return new Plugins(c, mqtt, packageReferences, engine);
        }

        /** With the MQTT half: what {@code edgeloop server} runs (the rollout engine included). */
        public Plugins withMqtt() {
            return new Plugins(clock, true, packageReferences, engine);
        }

        public Plugins withPackageReferences(List<PackageReferences> refs) {
            return new Plugins(clock, mqtt, refs, engine);
        }

        /** The rollout engine's tick and lease. */
        public Plugins withEngine(RolloutEngine.Options options) {
            return new Plugins(clock, mqtt, packageReferences, options);
        }
    }

    private final Deque<AutoCloseable> closeInReverse;
    private final Database database;
    private final ApiTokens tokens;
    private final DeviceCredentials credentials;
    private final Router router;
    private final int httpPort;
    private final int mqttPort;
    private final Path adminTokenFile;

    private FleetServer(Deque<AutoCloseable> closeInReverse, Database database, ApiTokens tokens,
                        DeviceCredentials credentials, Router router, int httpPort, int mqttPort, Path adminTokenFile) {
        this.closeInReverse = closeInReverse;
        this.database = database;
        this.tokens = tokens;
        this.credentials = credentials;
        this.router = router;
        this.httpPort = httpPort;
        this.mqttPort = mqttPort;
        this.adminTokenFile = adminTokenFile;
    }

    public static FleetServer start(FleetServerOptions o, Plugins plugins) throws Exception {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            return start(o, plugins, started);
        } catch (Exception | Error e) {
            closeAll(started, e);
            throw e;
        }
    }

    private static FleetServer start(FleetServerOptions o, Plugins plugins, Deque<AutoCloseable> started) throws Exception {
        Clock clock = plugins.clock();
        Files.createDirectories(o.dataDir());
        Database db = o.dbUrl() == null ? Database.embedded(o.dataDir()) : Database.of(o.dbUrl(), o.dbUser(), o.dbPassword());
        started.push(db);

        AuditLog audit = new AuditLog(db, clock);
        ApiTokens tokens = new ApiTokens(db, audit, clock);
        Path adminToken = AdminTokenFile.ensure(tokens, o.dataDir()).orElse(null);
        DeviceCredentials credentials = new DeviceCredentials(db, clock);
        // Presence and the running model come from what devices report over MQTT (V3's device_state).
        DeviceService devices = new DeviceService(db, audit, credentials, plugins.mqtt() ? REPORTED_STATE
                : DeviceStateColumns.NONE, clock, o.enrolTokenTtl());

        List<PackageReferences> references = new ArrayList<>(plugins.packageReferences());
        references.add(new DesiredModelReferences(db));
        references.add(new RolloutReferences(db));
        SigningKey signingKey = o.signingKey() == null ? null : SigningKey.load(o.signingKey());
        PublisherKeys publisherKeys = PublisherKeys.load(o.trustedKeys());
        if (signingKey != null) {
            // What the server signs it must accept, and its devices verify with the keys it trusts.
            publisherKeys = publisherKeys.with(signingKey.publicKey());
        }
        PackageRepository packages = new PackageRepository(db, audit, new PackageStore(o.dataDir().resolve("packages")),
                publisherKeys, references, clock);
        DownloadTokens downloadTokens = DownloadTokens.shared(db, clock, o.downloadTokenTtl());

        RunRepository runs = new RunRepository(db);
        DatasetLoader loader = DatasetLoader.fromEnvironment();
        PiiKeyFile piiKey = new PiiKeyFile(o.dataDir());
        DatasetStore datasets = new DatasetStore(db, audit, o.dataDir().resolve("datasets"), clock);
        ModelRegistry registry = new ModelRegistry(new ModelVersionRepository(db),
                new EvaluationGate(new EvaluationGate.Options(o.gateTolerance()), new OnnxHoldoutEvaluator()));
        TrainingRoutes training = new TrainingRoutes(new TrainingPipeline(loader, runs, CodeVersion.current(), System.err,
                datasets, piiKey.lazyHasher()),
                runs, registry, loader, o.dataDir().resolve("runs"));
        started.push(training);
        VersionPackager packager = new VersionPackager(registry, packages, new ModelPublisher(
                ServerQuantizers.planned(System.err), ServerQuantizers.denseFallback(System.err), System.err),
                signingKey, db, audit);

        // What the fleet captures: stored by the ingest, kept as the retention says, read by retraining.
        CaptureStore captures = new CaptureStore(db, clock, o.captureRetention());
        CaptureHousekeeping captureHousekeeping = new CaptureHousekeeping(captures, CaptureHousekeeping.DEFAULT_INTERVAL);
        started.push(captureHousekeeping);

        // The broker before HTTP: enrolment hands out its URL.
        int mqttPort = -1;
        FleetMqtt mqtt = null;
        JobUpdateHandler jobUpdates = null;
        if (plugins.mqtt()) {
            jobUpdates = new JobUpdateHandler(clock);
            mqtt = FleetMqtt.start(o.mqtt(), db, new CredentialCheck(credentials), new CredentialCheck(credentials),
                    jobUpdates, new CaptureIngestSink(captures, captureHousekeeping));
            started.push(mqtt);
            FleetMqtt m = mqtt;
            credentials.addListener((deviceId, change) -> m.credentialsChanged(deviceId,
                    change == CredentialsListener.Change.REVOKED));
            mqttPort = mqtt.embeddedPort();
        } else if (o.mqttUrl() == null) {
            LOG.info("the MQTT half is off: no broker, no telemetry ingest");
        }
        Enrolment enrolment = new Enrolment(db, audit, devices, credentials, clock, o.agentMqttUrl(mqttPort));

        Vertx vertx = Vertx.vertx();
        started.push(() -> vertx.close().toCompletionStage().toCompletableFuture().get());
        Router router = Router.router(vertx);
        ApiRouter api = new ApiRouter(vertx, router, tokens);
        PackageRoutes packageRoutes = new PackageRoutes(packages, downloadTokens, devices, o.maxPackageBytes());
        OpenApiDocument.mount(router);
        DashboardAssets.mount(router);
        packageRoutes.mountStreaming(api);
        DatasetRoutes datasetRoutes = new DatasetRoutes(datasets, piiKey.lazyHasher(), DatasetRoutes.DEFAULT_MAX_DATASET_BYTES);
        datasetRoutes.mountStreaming(api);
        router.route("/api/v1/*").handler(BodyHandler.create().setBodyLimit(1 << 20));
        new TokenRoutes(tokens).mount(api);
        new AuditRoutes(audit).mount(api);
        // Devices verify the packages of their jobs with the keys this server accepts uploads by.
        new DeviceRoutes(devices, enrolment, publisherKeys.encoded()).mount(api);
        packageRoutes.mount(api);
        datasetRoutes.mount(api);
        new PublishRoutes(packager, loader).mount(api);
        if (mqtt != null) {
            FleetMqtt m = mqtt;
            new TelemetryRoutes(new TelemetryQueries(db), new DeviceStates(db), () -> m.ingest().counters()).mount(api);
            new FleetOverviewRoutes(devices, new DeviceStates(db), new DriftSeries(db), clock).mount(api);
        }
        new CaptureRoutes(captures).mount(api);
        training.mount(vertx, router, api.authenticate(Role.VIEWER), api.authenticate(Role.OPERATOR));
        // The engine publishes download URLs of this server, known once it listens.
        String[] deviceUrl = {null};
        MqttJobPublisher publisher = null;
        if (mqtt != null) {
            publisher = new MqttJobPublisher(mqtt.url(), "edgeloop-rollouts." + o.mqtt().replicaId()
                    + "." + java.util.UUID.randomUUID().toString().substring(0, 8), mqtt.login());
        }
        Rollouts rollouts;
        try {
            rollouts = Rollouts.start(db, audit, packages, downloadTokens, clock, publisher, jobUpdates,
                    () -> deviceUrl[0], o.mqtt().replicaId(), plugins.engine());
        } catch (RuntimeException e) {
            if (publisher != null) {
                publisher.close();
            }
            throw e;
        }
        started.push(rollouts);
        new RolloutRoutes(rollouts.service()).mount(api);
        // cmd/capture goes out through the rollout engine's publisher (its broker login, QoS 1).
        new CaptureCommandRoutes(new CaptureSwitch(db, audit, devices, publisher, clock)).mount(api);
        Retraining retraining = Retraining.start(new Retraining.Inputs(db, audit, registry, runs, CodeVersion.current(),
                loader, packages, captures, packager, rollouts.service(), clock, o.mqtt().replicaId(),
                o.dataDir().resolve("runs")), o.retrainingInterval());
        started.push(retraining);
        new RetrainingRoutes(retraining).mount(api);
        HttpErrors.mount(router);
        HttpServer http = listen(vertx, router, o.httpPort());
        deviceUrl[0] = o.deviceHttpUrl(http.actualPort());
        return new FleetServer(started, db, tokens, credentials, router, http.actualPort(), mqttPort, adminToken);
    }

    private static HttpServer listen(Vertx vertx, Router router, int port) throws Exception {
        try {
            return vertx.createHttpServer().requestHandler(router).listen(port).toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            if (ErrorResponse.unwrap(e) instanceof BindException) {
                throw new EdgeLoopException(ErrorCode.PORT_IN_USE, "cannot listen on port " + port
                        + ": it is in use (pass --http-port N, or 0 for any free port)", e.getCause());
            }
            throw e;
        }
    }

    public int httpPort() {
        return httpPort;
    }

    /** The embedded broker's port; -1 with an external broker. */
    public int mqttPort() {
        return mqttPort;
    }

    /** The admin token file written at this start, or null when admin tokens already existed. */
    public Path adminTokenFile() {
        return adminTokenFile;
    }

    public Database database() {
        return database;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    public DeviceCredentials credentials() {
        return credentials;
    }

    public Router router() {
        return router;
    }

    @Override
    public void close() throws Exception {
        closeAll(closeInReverse, null);
    }

    private static void closeAll(Deque<AutoCloseable> started, Throwable primary) throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
