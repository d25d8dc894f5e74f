package io.edgeloop.simulator;

import io.edgeloop.agent.Agent;
import io.edgeloop.agent.FleetJoin;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.config.DeviceProfileResolver;
import io.edgeloop.agent.engine.SharedSessions;
import io.edgeloop.agent.link.EnrolmentClient;
import io.edgeloop.agent.link.FleetEnrolment;
import io.edgeloop.agent.link.FleetLink;
import io.edgeloop.agent.serving.ServedModel;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N real agents in this JVM joined to one fleet: each with its own data folder (RocksDB, model
 * store, credentials), its own enrolment and MQTT connection, sharing one Vert.x (HTTP off by
 * default), one scheduler and, unless switched off, engine sessions by model content. Fleet jobs
 * run inside each agent as on a device. Devices are registered over the server's REST API;
 * folders enrolled by an earlier run start again as the same devices without a token.
 */
public final class SimulatedFleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedFleet.class);

    /** One simulated device. */
    public record SimulatedAgent(String deviceId, Agent agent, FleetLink link) {
    }

    private final SimulatorOptions options;
    private final Vertx vertx;
    private final ScheduledExecutorService scheduler;
    private final SharedSessions sessions;
    private final List<SimulatedAgent> agents = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger enrolled = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong requestErrors = new AtomicLong();
    private final long startedNanos = System.nanoTime();
    private volatile long joinedNanos;
    private ScheduledExecutorService traffic;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();

    private SimulatedFleet(SimulatorOptions options) {
        this.options = options;
        this.vertx = options.http() ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)) : null;
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("sim-scheduler"));
        this.sessions = options.shareSessions() ? new SharedSessions() : null;
    }

    /**
     * Registers, starts and joins the agents, {@code startThreads} at a time; then starts the
     * traffic. A failure of any agent closes those started and throws.
     */
    public static SimulatedFleet start(SimulatorOptions options) throws Exception {
        options.validate();
        SimulatedFleet fleet = new SimulatedFleet(options);
        try {
            fleet.startAgents();
            fleet.joinedNanos = System.nanoTime();
            fleet.startTraffic();
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    private void startAgents() throws Exception {
        DeviceProfile profile = DeviceProfileResolver.resolve(options.profile());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        FleetRegistration registration = new FleetRegistration(http, options.server(), options.token());
        EnrolmentClient enrolment = new EnrolmentClient(http);
        ExecutorService starters = Executors.newFixedThreadPool(options.startThreads(), daemon("sim-start"));
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            // The first alone: registering the first device of a new group creates the group, and the
            // server (as of this build) answers concurrent first registrations in one new group with a
            // duplicate-key STORAGE_FAILED.
            agents.add(startAgent(0, profile, registration, enrolment));
            List<Future<SimulatedAgent>> started = new ArrayList<>();
            for (int i = 1; i < options.agents(); i++) {
                int index = i;
                started.add(starters.submit(() -> {
                    // After a failure the agents not yet begun are skipped; those starting finish.
                    if (failed.get()) {
                        return null;
                    }
                    try {
                        return startAgent(index, profile, registration, enrolment);
                    } catch (Exception | Error e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
            Exception first = null;
            for (Future<SimulatedAgent> f : started) {
                try {
                    SimulatedAgent a = f.get();
                    if (a != null) {
                        agents.add(a);
                    }
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof Exception cause ? cause : e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            starters.shutdownNow();
        }
    }

    private SimulatedAgent startAgent(int index, DeviceProfile profile, FleetRegistration registration,
                                      EnrolmentClient enrolment) throws Exception {
        String id = options.deviceId(index);
        AgentOptions agentOptions = AgentOptions.DEFAULT.withDataDir(options.agentDir(index)).withDeviceId(id)
                .withPublicKey(options.publicKey()).withProfile(profile.id())
                .withHttp(h -> h.withEnabled(options.http()).withHost("127.0.0.1").withPort(0))
                // One intra-op thread per session: a thousand agents share the CPUs.
                .withEngine(e -> e.withIntraOpThreads(1))
                .withCapture(c -> c.withSampleRate(0))
                .withShutdown(s -> s.withDrainTimeoutMillis(1000));
        boolean fresh = !Files.exists(agentOptions.dataDir());
        Agent agent = Agent.builder(agentOptions).vertx(vertx).scheduler(scheduler).sharedSessions(sessions)
                .deviceProfile(profile).install(fresh ? options.initialPackage() : null).start();
        try {
            // A folder enrolled by an earlier run keeps its credentials in the agent's own state.
            String token = FleetEnrolment.enrolledDeviceId(agent.state()).isPresent() ? null
                    : registration.enrolToken(id, options.group(), options.tags());
            FleetLink link = FleetJoin.of(options.server(), token).withoutHardwareProbe().withMqttUrl(options.mqttUrl())
                    .connect(agent, profile.id(), enrolment, scheduler);
            enrolled.incrementAndGet();
            return new SimulatedAgent(id, agent, link);
        } catch (EdgeLoopException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void startTraffic() throws EdgeLoopException {
        if (options.healthInterval() != null) {
            long ms = options.healthInterval().toMillis();
            for (SimulatedAgent a : agents) {
                periodic.add(scheduler.scheduleWithFixedDelay(a.agent()::reportHealth,
                        ThreadLocalRandom.current().nextLong(ms), ms, TimeUnit.MILLISECONDS));
            }
        }
        if (options.trafficRps() <= 0) {
            return;
        }
        TrafficInputs inputs = TrafficInputs.of(options.trafficData());
        traffic = Executors.newScheduledThreadPool(2, daemon("sim-traffic"));
        long periodMicros = Math.max(1, (long) (1_000_000 / options.trafficRps()));
        for (SimulatedAgent a : agents) {
            // Spread over one period, so the fleet's requests do not all arrive in the same millisecond.
            long delay = ThreadLocalRandom.current().nextLong(periodMicros);
            periodic.add(traffic.scheduleAtFixedRate(() -> request(a.agent(), inputs), delay, periodMicros,
                    TimeUnit.MICROSECONDS));
        }
    }

    /** One request on each active model of {@code agent}, answered asynchronously. */
    private void request(Agent agent, TrafficInputs inputs) {
        if (!agent.ready()) {
            return;
        }
        for (Map.Entry<String, String> active : agent.registry().activeVersions().entrySet()) {
            try {
                ServedModel model = agent.registry().get(active.getKey(), null);
                var tensors = inputs.next(model.session().inputs());
                if (tensors == null) {
                    continue;
                }
                requests.incrementAndGet();
                agent.inference().infer(active.getKey(), null, null, tensors, false).whenComplete((r, e) -> {
                    if (e != null) {
                        requestErrors.incrementAndGet();
                    }
                });
            } catch (EdgeLoopException | RuntimeException e) {
                // A model swapped out between the listing and the request: the next tick finds the new one.
                requestErrors.incrementAndGet();
            }
        }
    }

    /** The agents started so far. */
    public List<SimulatedAgent> agents() {
        synchronized (agents) {
            return List.copyOf(agents);
        }
    }

    /** The agent of {@code deviceId}. */
    public Agent agent(String deviceId) throws EdgeLoopException {
        return agents().stream().filter(a -> a.deviceId().equals(deviceId)).findFirst().map(SimulatedAgent::agent)
                .orElseThrow(() -> new EdgeLoopException(ErrorCode.DEVICE_NOT_FOUND, "no simulated agent " + deviceId));
    }

    /** The engine sessions shared by model content, or null when sharing is off. */
    public SharedSessions sessions() {
        return sessions;
    }

    /** Where the fleet stands now. */
    public FleetSnapshot snapshot() {
        List<SimulatedAgent> now = agents();
        int connected = 0;
        Map<String, Integer> versions = new TreeMap<>();
        for (SimulatedAgent a : now) {
            if (a.link().connected()) {
                connected++;
            }
            Map<String, String> active = a.agent().registry().activeVersions();
            if (active.isEmpty()) {
                versions.merge("(none)", 1, Integer::sum);
            }
            active.forEach((name, version) -> versions.merge(name + "@" + version, 1, Integer::sum));
        }
        long joinedAt = joinedNanos;
        return new FleetSnapshot(options.agents(), enrolled.get(), connected, versions, requests.get(), requestErrors.get(),
                (System.nanoTime() - startedNanos) / 1e9, joinedAt == 0 ? Double.NaN : (joinedAt - startedNanos) / 1e9,
                sessions == null ? -1 : sessions.sessions());
    }

    @Override
    public void close() {
        periodic.forEach(t -> t.cancel(false));
        if (traffic != null) {
            traffic.shutdownNow();
        }
        for (SimulatedAgent a : agents()) {
            try {
                a.link().close();
            } catch (RuntimeException e) {
                LOG.warn("closing the link of {}: {}", a.deviceId(), e.toString());
            }
        }
        // Agents close in parallel: each drains and flushes its RocksDB, which is mostly waiting.
        ExecutorService closers = Executors.newFixedThreadPool(Math.max(1, options.startThreads()), daemon("sim-close"));
        for (SimulatedAgent a : agents()) {
            closers.execute(a.agent()::close);
        }
        closers.shutdown();
        try {
            closers.awaitTermination(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agents.clear();
        scheduler.shutdownNow();
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing Vert.x: {}", e.toString());
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
