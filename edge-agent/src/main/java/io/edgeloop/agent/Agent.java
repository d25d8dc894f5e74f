package io.edgeloop.agent;

import io.edgeloop.agent.api.AdminApi;
import io.edgeloop.agent.api.AgentMetrics;
import io.edgeloop.agent.api.HttpApiServer;
import io.edgeloop.agent.api.KServeApi;
import io.edgeloop.agent.buffer.AgentDb;
import io.edgeloop.agent.buffer.CaptureBuffer;
import io.edgeloop.agent.buffer.CaptureCounters;
import io.edgeloop.agent.buffer.CaptureSampling;
import io.edgeloop.agent.buffer.PendingLabels;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.drift.DriftResult;
import io.edgeloop.agent.engine.EngineRegistry;
import io.edgeloop.agent.health.HealthMonitor;
import io.edgeloop.agent.health.HealthSnapshot;
import io.edgeloop.agent.jobs.JobOptions;
import io.edgeloop.agent.jobs.JobRunner;
import io.edgeloop.agent.jobs.TrustedKeys;
import io.edgeloop.agent.link.CaptureUploader;
import io.edgeloop.agent.link.CredentialStore;
import io.edgeloop.agent.serving.InferenceService;
import io.edgeloop.agent.serving.ModelLoader;
import io.edgeloop.agent.serving.ModelRegistry;
import io.edgeloop.agent.store.ModelStore;
import io.edgeloop.agent.telemetry.TelemetryMessages;
import io.edgeloop.packageformat.KnownProfiles;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.Message;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * A running agent: every component constructed explicitly, in dependency order, and closed in
 * reverse, also when a start fails half-way. Start one with {@link #builder(AgentOptions)}.
 * {@link #close()} drains in-flight requests first (readiness goes false, new requests answer
 * 503, queued ones finish) up to the drain timeout. A Vert.x instance handed in by the caller
 * stays open, and so does a scheduler handed in; what the agent created for itself is closed with it.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private final MessageCodec codec = new MessageCodec();

    private final AgentOptions options;
    private final String deviceId;
    private final DeviceProfile deviceProfile;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final TelemetryOutbox outbox;
    private final io.edgeloop.agent.buffer.AgentState state;
    private final CaptureBuffer capture;
    private final CaptureSampling sampling;
    private final PendingLabels labels;
    private final CaptureCounters captureCounters = new CaptureCounters();
    private final ModelStore store;
    private final ModelRegistry registry;
    private final HealthMonitor health;
    private final InferenceService inference;
    private final ArtifactInstaller installer;
    private final HttpApiServer http;
    private final JobRunner jobs;
    private final ScheduledExecutorService housekeepingScheduler;
    private CaptureUploader uploader;
    private volatile boolean ready;

    /**
     * {@code options} validated and resolved for {@code device}; the device id is the one {@code kept}
     * finds in the opened database, else the configured one, else the host name.
     */
    Agent(AgentOptions configured, DeviceProfile device, AgentBuilder.KeptDeviceId kept, AgentBuilder.Shared shared,
          Optional<Path> artifact, List<InstallerFactory> installers, JobOptions jobOptions) throws Exception {
        this.deviceProfile = device;
        try {
            NativeLibraries.prepare(configured.dataDir());
            AgentDb db = opened(new AgentDb(configured.dbDir(), configured.buffer(), shared.scheduler()));
            this.outbox = new TelemetryOutbox(db);
            this.state = new io.edgeloop.agent.buffer.AgentState(db);
            Optional<String> keptId = kept.read(state);
            AgentOptions options = keptId.map(configured::withDeviceId).orElse(configured);
            this.options = options;
            this.deviceId = options.deviceId().isEmpty() ? AgentBuilder.hostDeviceId() : options.deviceId();
            this.capture = new CaptureBuffer(db, System::currentTimeMillis);
            this.sampling = new CaptureSampling(state, options.capture().sampleRate());
            this.labels = new PendingLabels(db);
            EngineRegistry engines = opened(EngineRegistry.discover());
            this.store = new ModelStore(options.storeDir(), options.store());
            this.installer = new ArtifactInstaller(options.dataDir(), installers.stream()
                    .map(f -> f.create(store, options, device)).toList());
            ModelLoader loader = new ModelLoader(store, engines, options.engine(), options.batch(), options.drift(),
                    this::onDrift, shared.sessions());
            this.registry = opened(new ModelRegistry(loader));
            this.health = new HealthMonitor(options.dataDir(), registry::activeVersions, registry::shadowVersions);
            this.inference = new InferenceService(registry, health, capture, sampling, labels, captureCounters);
            // Idle until the fleet link starts it (FleetJoin); it holds a thread only while it has work.
            this.jobs = opened(new JobRunner(deviceId, KnownProfiles.traits(device), state, outbox, store, registry,
                    health.shadow(), () -> options.publicKey() != null ? List.of(KeyPairFiles.loadPublic(options.publicKey()))
                            : TrustedKeys.decode(new CredentialStore(state).load().map(c -> c.publisherKeys()).orElse(List.of())),
                    options.dataDir(), jobOptions, Clock.systemUTC()));
            // The HTTP server starts while the models load (it answers not-ready until then): start-up
            // is the longer of the two, not their sum.
            HttpStart httpStart = null;
            if (options.http().enabled()) {
                Vertx vertx = shared.vertx();
                if (vertx == null) {
                    Vertx own = HttpStart.newVertx();
                    opened.push(() -> HttpStart.close(own));
                    vertx = own;
                }
                httpStart = HttpStart.begin(vertx, options.http(), new KServeApi(inference, options.http(), () -> ready),
                        new AdminApi(vertx, registry, health, installer::installUpload, options.http()),
                        AgentMetrics.create(health, registry, capture, captureCounters));
            }
            Exception loadFailure = null;
            try {
                if (artifact.isPresent()) {
                    installer.installAsActive(artifact.get(), store);
                }
                registry.loadActive();
            } catch (Exception e) {
                loadFailure = e;
            }
            HttpApiServer server = null;
            if (httpStart != null) {
                try {
                    server = opened(httpStart.await(options.http().port()));
                } catch (EdgeLoopException e) {
                    if (loadFailure == null) {
                        throw e;
                    }
                    loadFailure.addSuppressed(e);
                }
            }
            if (loadFailure != null) {
                throw loadFailure;
            }
            this.http = server;
            if (registry.names().isEmpty()) {
                LOG.warn("no model is installed yet; serving health endpoints only until one is activated");
            }
            ScheduledExecutorService housekeeping = shared.scheduler();
            if (housekeeping == null) {
                ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "agent-housekeeping-" + deviceId);
                    t.setDaemon(true);
                    return t;
                });
                opened.push(own::shutdownNow);
                housekeeping = own;
            }
            this.housekeepingScheduler = housekeeping;
            List<ScheduledFuture<?>> periodic = List.of(
                    housekeeping.scheduleWithFixedDelay(this::reportHealth, 60, 60, TimeUnit.SECONDS),
                    housekeeping.scheduleWithFixedDelay(this::sweepCaptures, 10, 600, TimeUnit.SECONDS));
            opened.push(() -> periodic.forEach(task -> task.cancel(false)));
            ready = true;
        } catch (Exception | Error e) {
            closeOpened(e);
            throw e;
        }
    }

    /** An agent built from {@code options}; the builder takes the optional shared resources. */
    public static AgentBuilder builder(AgentOptions options) {
        return new AgentBuilder(options);
    }

    /** Starts an agent on its own resources, with the standard installers, installing nothing first. */
    public static Agent start(AgentOptions options) throws Exception {
        return builder(options).start();
    }

    private <T extends AutoCloseable> T opened(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes what was opened, newest first; failures are logged (or kept as suppressed on {@code cause}). */
    private void closeOpened(Throwable cause) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else {
                    LOG.warn("closing agent {}: {}", deviceId, e.toString());
                }
            }
        }
    }

    /**
     * Starts uploading captures and feedback labels to the fleet through the outbox (a fleet link
     * sends them), unless {@code capture.upload} is off; returns the uploader, or null when off.
     * Called by {@link FleetJoin} once the agent has a link; stopped when the agent closes.
     */
    public synchronized CaptureUploader startCaptureUpload() {
        if (!options.capture().upload()) {
            return null;
        }
        if (uploader == null) {
            uploader = new CaptureUploader(deviceId, capture, labels, outbox, state, options.capture(), captureCounters,
                    System::currentTimeMillis, codec);
            opened.push(uploader);
            uploader.start(housekeepingScheduler);
        }
        return uploader;
    }

    private void onDrift(DriftResult result) {
        LOG.info("drift window {} of {} {}: {}", result.windowIndex(), result.model(), result.version(), result.summary());
        enqueue("drift", seq -> TelemetryMessages.drift(deviceId, seq, result, variantOf(result.model(), result.version())));
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
    private void enqueue(String stream, LongFunction<Message> message) {
        try {
            outbox.append(stream, seq -> codec.encode(message.apply(seq)));
        } catch (EdgeLoopException e) {
            LOG.warn("telemetry not stored: {}", e.describe());
        } catch (RuntimeException e) {
            LOG.warn("telemetry not encoded: {}", e.toString());
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

    /** The HTTP port actually bound (the chosen one with port 0); fails when HTTP is disabled. */
    public int port() {
        if (http == null) {
            throw new IllegalStateException("agent " + deviceId + " has no HTTP server (http.enabled is false)");
        }
        return http.port();
    }

    /** Whether this agent serves HTTP. */
    public boolean hasHttp() {
        return http != null;
    }

    /** The device profile it was resolved for (the configured one, else the detected one). */
    public DeviceProfile deviceProfile() {
        return deviceProfile;
    }

    /** The id this agent reports under: the configured one, else this host's name. */
    public String deviceId() {
        return deviceId;
    }

    /** The settings it runs with, resolved for its device profile. */
    public AgentOptions options() {
        return options;
    }

    public boolean ready() {
        return ready;
    }

    /** Inference in this JVM, without HTTP: what the KServe API serves. */
    public InferenceService inference() {
        return inference;
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

    /** Whether and at what rate requests are captured now ({@code cmd/capture} changes it). */
    public CaptureSampling captureSampling() {
        return sampling;
    }

    /** Feedback labels waiting for the capture uploader. */
    public PendingLabels pendingLabels() {
        return labels;
    }

    /** What the capture uploader sent and skipped. */
    public CaptureCounters captureCounters() {
        return captureCounters;
    }

    /** The capture uploader, once {@link #startCaptureUpload()} started one; else null. */
    public synchronized CaptureUploader captureUploader() {
        return uploader;
    }

    public TelemetryOutbox outbox() {
        return outbox;
    }

    /** The agent's small durable key-value state (fleet credentials, job progress). */
    public io.edgeloop.agent.buffer.AgentState state() {
        return state;
    }

    public ModelStore store() {
        return store;
    }

    /**
     * The job runner: fleet job documents and the rollback and cancel commands. A fleet link
     * ({@link FleetJoin}) starts it and hands it what arrives; it resumes unfinished jobs then.
     */
    public JobRunner jobs() {
        return jobs;
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

    @Override
    public synchronized void close() {
        if (opened.isEmpty()) {
            return;
        }
        ready = false;
        long deadline = System.nanoTime() + options.shutdown().drainTimeout().toNanos();
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
        closeOpened(null);
        LOG.info("agent stopped (device {})", deviceId);
    }
}
