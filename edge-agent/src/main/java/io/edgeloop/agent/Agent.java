package io.edgeloop.agent;

import io.edgeloop.agent.api.AdminApi;
import io.edgeloop.agent.api.AgentMetrics;
import io.edgeloop.agent.api.HttpApiServer;
import io.edgeloop.agent.api.KServeApi;
import io.edgeloop.agent.buffer.AgentDb;
import io.edgeloop.agent.buffer.CaptureBuffer;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.drift.DriftResult;
import io.edgeloop.agent.engine.EngineRegistry;
import io.edgeloop.agent.health.HealthMonitor;
import io.edgeloop.agent.health.HealthSnapshot;
import io.edgeloop.agent.serving.InferenceService;
import io.edgeloop.agent.serving.ModelLoader;
import io.edgeloop.agent.serving.ModelRegistry;
import io.edgeloop.agent.store.ModelDescriptor;
import io.edgeloop.agent.store.ModelInstaller;
import io.edgeloop.agent.store.ModelStore;
import io.edgeloop.agent.store.OnnxFileInstaller;
import io.edgeloop.agent.store.PackageInstaller;
import io.edgeloop.agent.telemetry.TelemetryMessages;
import io.edgeloop.packageformat.KnownProfiles;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.ProfileTraits;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.Message;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running agent: every component constructed explicitly, in dependency order, and closed in
 * reverse. {@link #close()} drains in-flight requests first (readiness goes false, new requests
 * answer 503, queued ones finish) up to the drain timeout.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private final MessageCodec codec = new MessageCodec();
    private final String deviceId;

    private final AgentOptions options;
    private final AgentDb db;
    private final TelemetryOutbox outbox;
    private final CaptureBuffer capture;
    private final EngineRegistry engines;
    private final ModelStore store;
    private final ModelRegistry registry;
    private final HealthMonitor health;
    private final Vertx vertx;
    private final HttpApiServer http;
    private final ScheduledExecutorService housekeeping;
    private volatile boolean ready;

    private Agent(AgentOptions options, Optional<Path> artifact, List<InstallerFactory> installers) throws Exception {
        this.options = options;
        this.deviceId = deviceId(options);
        NativeLibraries.prepare(options.dataDir());
        this.db = new AgentDb(options.buffer());
        boolean started = false;
        EngineRegistry createdEngines = null;
        ModelRegistry createdRegistry = null;
        Vertx createdVertx = null;
        try {
            this.outbox = new TelemetryOutbox(db);
            this.capture = new CaptureBuffer(db, System::currentTimeMillis);
            this.engines = createdEngines = EngineRegistry.discover();
            this.store = new ModelStore(options.store());
            ModelLoader loader = new ModelLoader(store, engines, options.engine(), options.batch(), options.drift(),
                    this::onDrift);
            this.registry = createdRegistry = new ModelRegistry(loader);
            this.health = new HealthMonitor(options.dataDir(), registry::activeVersions, registry::shadowVersions);
            InferenceService service = new InferenceService(registry, health, capture);
            PrometheusMeterRegistry metrics = AgentMetrics.create(health, registry, capture);
            int eventLoops = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
            this.vertx = createdVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
            // The HTTP server starts while the models load (it answers not-ready until then): start-up
            // is the longer of the two, not their sum.
            Vertx v = vertx;
            CompletableFuture<HttpApiServer> listening = CompletableFuture.supplyAsync(() -> {
                try {
                    return new HttpApiServer(v, options.api(), eventLoops, new KServeApi(service, options.api(), () -> ready),
                            new AdminApi(v, registry, health, body -> installUpload(body, installers)), metrics);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            try {
                if (artifact.isPresent()) {
                    ModelDescriptor installed = install(artifact.get(), installers);
                    if (!store.active(installed.name()).map(installed.version()::equals).orElse(false)) {
                        store.activate(installed.name(), installed.version());
                    }
                }
                registry.loadActive();
            } finally {
                this.http = awaitListening(listening);
            }
            if (registry.names().isEmpty()) {
                LOG.warn("no model is installed yet; serving health endpoints only until one is activated");
            }
            this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "agent-housekeeping");
                t.setDaemon(true);
                return t;
            });
            housekeeping.scheduleWithFixedDelay(this::reportHealth, 60, 60, TimeUnit.SECONDS);
            housekeeping.scheduleWithFixedDelay(this::sweepCaptures, 10, 600, TimeUnit.SECONDS);
            ready = true;
            started = true;
        } finally {
            if (!started) {
                if (createdVertx != null) {
                    createdVertx.close();
                }
                if (createdRegistry != null) {
                    createdRegistry.close();
                }
                if (createdEngines != null) {
                    createdEngines.close();
                }
                db.close();
            }
        }
    }

    private static HttpApiServer awaitListening(CompletableFuture<HttpApiServer> listening) throws EdgeLoopException {
        try {
            return listening.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EdgeLoopException(ErrorCode.INTERNAL, "interrupted while starting the HTTP server", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the HTTP server could not start (is the port in use?): "
                    + cause, cause);
        }
    }

    /** Builds an installer for an artifact, given the store. */
    @FunctionalInterface
    public interface InstallerFactory {
        ModelInstaller create(ModelStore store);
    }

    /**
     * The installers of a standalone agent: signed packages (verified with the configured
     * publisher key, variant chosen for the device profile) and bare {@code .onnx} files.
     */
    public static List<InstallerFactory> standardInstallers(AgentOptions options, String modelName, String modelVersion)
            throws EdgeLoopException {
        PackageInstaller.PublisherKey key = () -> options.publicKey() == null ? null
                : KeyPairFiles.loadPublic(options.publicKey());
        ProfileTraits device = KnownProfiles.traits(options.profile());
        return List.of(
                store -> new PackageInstaller(store, new PackageVerifier(PackageVerifier.Options.DEFAULTS), key, device,
                        KnownProfiles.ALL),
                store -> new OnnxFileInstaller(store, modelName, modelVersion));
    }

    /** Starts an agent; installs and activates {@code artifact} first when given (standalone mode). */
    public static Agent start(AgentOptions options, Optional<Path> artifact, List<InstallerFactory> installers)
            throws Exception {
        long t0 = System.nanoTime();
        Agent agent = new Agent(options, artifact, installers);
        LOG.info("agent ready on port {} in {} ms, serving {}", agent.port(), (System.nanoTime() - t0) / 1_000_000,
                agent.registry.activeVersions());
        return agent;
    }

    private ModelDescriptor install(Path artifact, List<InstallerFactory> installers) throws EdgeLoopException {
        for (InstallerFactory factory : installers) {
            ModelInstaller installer = factory.create(store);
            if (installer.accepts(artifact)) {
                return installer.install(artifact);
            }
        }
        throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cannot install " + artifact
                + ": expected a signed .elpkg package or an .onnx model file");
    }

    /** Writes an uploaded package to {@code data-dir/incoming} and installs it (verification first). */
    private ModelDescriptor installUpload(byte[] body, List<InstallerFactory> installers) throws EdgeLoopException {
        Path incoming = options.dataDir().resolve("incoming");
        Path file = incoming.resolve("upload-" + System.nanoTime() + ".elpkg");
        try {
            java.nio.file.Files.createDirectories(incoming);
            java.nio.file.Files.write(file, body);
            return install(file, installers);
        } catch (java.io.IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot store the uploaded package: " + e.getMessage(), e);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // a leftover upload is harmless; the next upload has another name
            }
        }
    }

    private void onDrift(DriftResult result) {
        LOG.info("drift window {} of {} {}: {}", result.windowIndex(), result.model(), result.version(),
                result.drifted() ? "DRIFT " + result.reasons() : "no drift");
        enqueue("drift", seq -> TelemetryMessages.drift(deviceId, seq, result, variantOf(result.model(), result.version()),
                options.drift().ksAlpha()));
    }

    /** Puts a health report of the interval since the last one into the outbox now. */
    public void reportHealth() {
        HealthSnapshot snapshot = health.snapshot();
        enqueue("health", seq -> TelemetryMessages.health(deviceId, seq, snapshot, health.requestsTotal(),
                health.errorsTotal(), this::variantOf));
    }

    private String variantOf(String model, String version) {
        try {
            return store.descriptor(model, version).variant();
        } catch (EdgeLoopException e) {
            return "unknown";
        }
    }

    /** Stores a wire message in the outbox until the broker acknowledges it (the MQTT link sends it). */
    private void enqueue(String stream, java.util.function.LongFunction<Message> message) {
        try {
            outbox.append(stream, seq -> codec.encode(message.apply(seq)));
        } catch (EdgeLoopException e) {
            LOG.warn("telemetry not stored: {}", e.describe());
        } catch (RuntimeException e) {
            LOG.warn("telemetry not encoded: {}", e.toString());
        }
    }

    private static String deviceId(AgentOptions options) {
        if (options.deviceId() != null && !options.deviceId().isBlank()) {
            return options.deviceId();
        }
        try {
            String host = java.net.InetAddress.getLocalHost().getHostName();
            String id = host.replaceAll("[^A-Za-z0-9._-]", "-");
            return id.isEmpty() ? "edgeloop-agent" : id;
        } catch (java.io.IOException e) {
            return "edgeloop-agent";
        }
    }

    private void sweepCaptures() {
        try {
            int deleted = capture.sweep();
            if (deleted > 0) {
                LOG.info("retention removed {} captures", deleted);
            }
        } catch (EdgeLoopException e) {
            LOG.warn("capture retention failed: {}", e.describe());
        }
    }

    public int port() {
        return http.port();
    }

    public boolean ready() {
        return ready;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public HealthMonitor health() {
        return health;
    }

    public CaptureBuffer capture() {
        return capture;
    }

    public TelemetryOutbox outbox() {
        return outbox;
    }

    /** The agent's small durable key-value state (fleet credentials, job progress). */
    public io.edgeloop.agent.buffer.AgentState state() {
        return new io.edgeloop.agent.buffer.AgentState(db);
    }

    /** The id this agent reports under. */
    public String deviceId() {
        return deviceId;
    }

    /** Closes every model's current drift window now and reports it (e.g. before a planned stop). */
    public void flushDrift() {
        for (String name : registry.names()) {
            try {
                var monitor = registry.get(name, null).drift();
                if (monitor != null) {
                    monitor.flush();
                }
            } catch (EdgeLoopException e) {
                LOG.debug("flush {}: {}", name, e.getMessage());
            }
        }
    }

    public ModelStore store() {
        return store;
    }

    @Override
    public void close() {
        ready = false;
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (registry.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (registry.inFlight() > 0) {
            LOG.warn("{} requests still in flight after the drain timeout", registry.inFlight());
        }
        housekeeping.shutdownNow();
        http.close();
        registry.close();
        engines.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("vert.x close: {}", e.toString());
        }
        db.close();
        LOG.info("agent stopped");
    }
}
