package io.edgeloop.agent;

import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.config.DeviceProfileResolver;
import io.edgeloop.agent.engine.SharedSessions;
import io.edgeloop.agent.jobs.JobOptions;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.protocol.EdgeLoopException;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts an {@link Agent}: the options, plus what a caller may share between many agents in one
 * JVM (a fleet simulator calls it in a loop) or hand to one agent.
 *
 * <pre>{@code
 * Vertx vertx = Vertx.vertx();                       // the caller's, closed by the caller
 * ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();   // likewise
 * SharedSessions sessions = new SharedSessions();    // one engine session per model content
 * for (int i = 0; i < 200; i++) {
 *     agents.add(Agent.builder(AgentOptions.DEFAULT.withDataDir(root.resolve("a" + i))
 *                     .withDeviceId("sim-" + i).withPublicKey(publisherKey)
 *                     .withHttp(http -> http.withEnabled(false)))
 *             .vertx(vertx).scheduler(scheduler).sharedSessions(sessions).install(pkg).start());
 * }
 * }</pre>
 */
public final class AgentBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(AgentBuilder.class);
    static final String FALLBACK_DEVICE_ID = "edgeloop-agent";

    /** What the caller may share between agents; null means the agent's own. */
    record Shared(Vertx vertx, ScheduledExecutorService scheduler, SharedSessions sessions) {
    }

    /** A device id kept in the agent's own state (an enrolled data directory's), read once its database is open. */
    @FunctionalInterface
    public interface KeptDeviceId {
        KeptDeviceId NONE = state -> Optional.empty();

        Optional<String> read(AgentState state) throws EdgeLoopException;
    }

    private final AgentOptions options;
    private Vertx vertx;
    private ScheduledExecutorService scheduler;
    private SharedSessions sessions;
    private DeviceProfile profile;
    private Path artifact;
    private List<InstallerFactory> installers = InstallerFactory.standard(null, null);
    private KeptDeviceId keptDeviceId = KeptDeviceId.NONE;
    private JobOptions jobs = JobOptions.DEFAULTS;

    AgentBuilder(AgentOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Runs the HTTP server on {@code shared}, which the caller owns: the agent never closes it. */
    public AgentBuilder vertx(Vertx shared) {
        this.vertx = shared;
        return this;
    }

    /**
     * Runs the agent's periodic work (health reports, capture retention, the RocksDB WAL sync) on
     * {@code shared}, which the caller owns: the agent cancels its tasks on close and never shuts it
     * down. Without one an agent has a housekeeping and a WAL-sync thread of its own.
     */
    public AgentBuilder scheduler(ScheduledExecutorService shared) {
        this.scheduler = shared;
        return this;
    }

    /**
     * Opens ONNX models through {@code shared}: agents of this JVM that load the same model content
     * share one engine session (closed with its last user). Without it the agent opens its own, as
     * on a device.
     */
    public AgentBuilder sharedSessions(SharedSessions shared) {
        this.sessions = shared;
        return this;
    }

    /**
     * Uses this resolved device profile instead of resolving {@code options.profile()} (a
     * simulator resolves it once for all its agents).
     */
    public AgentBuilder deviceProfile(DeviceProfile resolved) {
        this.profile = resolved;
        return this;
    }

    /** Installs and activates {@code artifact} (a signed package or a bare model) before serving. */
    public AgentBuilder install(Path artifact) {
        this.artifact = artifact;
        return this;
    }

    /**
     * Runs as the device id that {@code kept} finds in the agent's state, when it finds one, instead
     * of the configured one (an enrolled data directory reports as its device from the first line
     * on). It reads the database the agent opens anyway: a second open of RocksDB before the start
     * cost a restart about 70 ms.
     */
    public AgentBuilder keptDeviceId(KeptDeviceId kept) {
        this.keptDeviceId = Objects.requireNonNull(kept, "kept");
        return this;
    }

    /** Replaces the {@linkplain InstallerFactory#standard standard installers}. */
    public AgentBuilder installers(List<InstallerFactory> factories) {
        this.installers = List.copyOf(factories);
        return this;
    }

    /** Runs fleet jobs with these settings instead of {@link JobOptions#DEFAULTS}. */
    public AgentBuilder jobs(JobOptions options) {
        this.jobs = Objects.requireNonNull(options, "jobs");
        return this;
    }

    /**
     * Validates the options, then starts the agent; a start that fails closes everything it opened.
     * Invalid settings throw {@code EdgeLoopException(INVALID_ARGUMENT)} naming the setting.
     */
    public Agent start() throws Exception {
        long t0 = System.nanoTime();
        options.validate();
        jobs.validate();
        DeviceProfile device = profile != null ? profile : DeviceProfileResolver.resolve(options.profile());
        AgentOptions resolved = options.resolvedFor(device);
        Agent agent = new Agent(resolved, device, keptDeviceId, new Shared(vertx, scheduler, sessions), Optional.ofNullable(artifact),
                installers, jobs);
        LOG.info("agent {} ready {} in {} ms, serving {}", agent.deviceId(),
                agent.hasHttp() ? "on port " + agent.port() : "without HTTP", (System.nanoTime() - t0) / 1_000_000,
                agent.registry().activeVersions());
        return agent;
    }

    /** This host's name as a device id (an MQTT topic level: no '/', '+', '#'). */
    static String hostDeviceId() {
        try {
            String id = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return id.isEmpty() ? FALLBACK_DEVICE_ID : id;
        } catch (java.io.IOException e) {
            return FALLBACK_DEVICE_ID;
        }
    }
}
