package io.edgeloop.simulator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.edgeloop.protocol.EdgeLoopException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code edgeloop simulate}: a fleet of N real agents in this JVM against a fleet server, printing
 * progress (enrolled, connected, agents per model version) and a summary at the end (Ctrl-C or
 * {@code --duration}).
 */
@Command(name = "edgeloop", subcommands = {SimulatorMain.SimulateCommand.class}, mixinStandardHelpOptions = true,
        description = "EdgeLoop fleet simulator.")
public final class SimulatorMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorMain()).execute(args));
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Run N real agents in one JVM against a fleet server: each registered over REST, enrolled,"
                    + " with its own MQTT connection, RocksDB and model store; rollouts run on them as on devices.")
    static final class SimulateCommand implements Callable<Integer> {
        @Option(names = "--server", required = true, description = "Fleet server URL, e.g. http://localhost:8090.")
        URI server;

        @Option(names = "--agents", required = true, description = "How many agents to run.")
        int agents;

        @Option(names = "--group", description = "Register the devices in this group.")
        String group;

        @Option(names = "--tag", description = "Register the devices with tag KEY=VALUE; repeatable.")
        Map<String, String> tags = new LinkedHashMap<>();

        @Option(names = "--token", description = "Operator API token (default: EDGELOOP_TOKEN); needed to register devices.")
        String token = System.getenv("EDGELOOP_TOKEN");

        @Option(names = "--data-dir", description = "A folder per agent under it (default: ${DEFAULT-VALUE}); a second run"
                + " in the same folder restarts the same enrolled devices.")
        Path dataDir = Path.of("edgeloop-sim");

        @Option(names = "--id-prefix", description = "Device ids PREFIX-0000, PREFIX-0001, ... (default: ${DEFAULT-VALUE}).")
        String idPrefix = SimulatorOptions.DEFAULT_ID_PREFIX;

        @Option(names = "--pubkey", description = "The package publisher's public key: without it the agents cannot install rollouts.")
        Path publicKey;

        @Option(names = "--package", description = "A signed package each new agent installs and serves before joining.")
        Path initialPackage;

        @Option(names = "--traffic", description = "Inference requests per second and agent on its active models (default: 0).")
        double trafficRps;

        @Option(names = "--traffic-data", description = "Inputs of the traffic: fashion-mnist:test or an IDX image file"
                + " (default: synthetic uniform inputs of each model's shape).")
        String trafficData;

        @Option(names = "--duration", description = "Stop after this long, ISO-8601 (PT10M) or seconds (default: until Ctrl-C).")
        String duration;

        @Option(names = "--progress-seconds", description = "Seconds between progress lines (default: 5).")
        double progressSeconds = 5;

        @Option(names = "--start-threads", description = "Agents started at once (default: ${DEFAULT-VALUE}).")
        int startThreads = SimulatorOptions.DEFAULT_START_THREADS;

        @Option(names = "--http", description = "Also serve each agent's KServe API on a free loopback port.")
        boolean http;

        @Option(names = "--no-shared-sessions", description = "Give each agent its own engine sessions, as on devices.")
        boolean ownSessions;

        @Option(names = "--profile", description = "Device profile of every agent (default: ${DEFAULT-VALUE}).")
        String profile = SimulatorOptions.DEFAULT_PROFILE;

        @Option(names = "--mqtt-url", description = "Broker URL to use instead of the one enrolment gives.")
        String mqttUrl;

        @Option(names = "--health-seconds", description = "Seconds between each agent's health reports (default: the agent's 60).")
        Double healthSeconds;

        @Option(names = "--log-level", description = "Level of the agents' logs on stderr (default: ${DEFAULT-VALUE}; or EDGELOOP_LOG_LEVEL).")
        String logLevel = System.getenv().getOrDefault("EDGELOOP_LOG_LEVEL", "WARN");

        @Override
        public Integer call() {
            PrintStream out = System.out;
            quietLogs(logLevel);
            try {
                SimulatorOptions options = new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix,
                        publicKey, initialPackage, trafficRps, trafficData, duration == null ? null : parse(duration),
                        Duration.ofMillis((long) (progressSeconds * 1000)), startThreads, http, !ownSessions, profile,
                        mqttUrl, healthSeconds == null ? null : Duration.ofMillis((long) (healthSeconds * 1000))).validate();
                Files.createDirectories(options.dataDir());
                out.printf("simulate: starting %d agents against %s in %s%n", options.agents(), options.server(),
                        options.dataDir().toAbsolutePath());
                return run(options, out);
            } catch (EdgeLoopException e) {
                System.err.println("edgeloop simulate: " + e.describe());
                return 2;
            } catch (IllegalArgumentException e) {
                System.err.println("edgeloop simulate: INVALID_ARGUMENT: " + e.getMessage());
                return 2;
            } catch (Exception e) {
                System.err.println("edgeloop simulate: failed: " + e);
                return 1;
            }
        }

        private static int run(SimulatorOptions options, PrintStream out) throws Exception {
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    stopped.await(150, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "simulate-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try (SimulatedFleet fleet = SimulatedFleet.start(options)) {
                FleetSnapshot joined = fleet.snapshot();
                out.printf("simulate: %d agents started and joined in %.1f s%n", joined.enrolled(), joined.joinedSeconds());
                out.println(joined.line());
                long end = options.duration() == null ? Long.MAX_VALUE : System.nanoTime() + options.duration().toNanos();
                while (!stop.await(Math.min(options.progressInterval().toNanos(), Math.max(0, end - System.nanoTime())),
                        TimeUnit.NANOSECONDS) && System.nanoTime() < end) {
                    out.println(fleet.snapshot().line());
                }
                summary(fleet.snapshot(), out);
            } finally {
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook is what woke us
                }
            }
            return 0;
        }

        private static void summary(FleetSnapshot s, PrintStream out) {
            Runtime rt = Runtime.getRuntime();
            long heap = rt.totalMemory() - rt.freeMemory();
            long rss = rss();
            out.println("simulate: summary");
            out.println("  " + s.line());
            out.printf("  agents %d, joined in %.1f s, ran %.1f s; engine sessions shared %s%n", s.enrolled(),
                    s.joinedSeconds(), s.elapsedSeconds(), s.sharedSessions() < 0 ? "off" : s.sharedSessions());
            out.printf("  memory: heap %.1f MB, RSS %.1f MB (%.2f MB per agent); CPU %.1f s; threads %d%n", heap / 1e6,
                    rss / 1e6, s.enrolled() == 0 ? 0 : rss / 1e6 / s.enrolled(), cpuSeconds(), Thread.activeCount());
            out.flush();
        }

        static Duration parse(String text) {
            try {
                return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text)
                        : Duration.ofMillis((long) (Double.parseDouble(text) * 1000));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--duration takes ISO-8601 (PT10M) or seconds, not '" + text + "'");
            }
        }

        private static long rss() {
            try {
                return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                        .map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong).findFirst().orElse(-1) * 1024;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        private static double cpuSeconds() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime() / 1e9;
            }
            return Double.NaN;
        }

        /** Agents' INFO lines times a thousand would bury the progress: their logs start at WARN. */
        private static void quietLogs(String level) {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.WARN));
            }
        }
    }
}
