package io.edgeloop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.bench.fleet.FleetRest;
import io.edgeloop.bench.fleet.RolloutPackages;
import io.edgeloop.bench.fleet.ServerProcess;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.simulator.SimulatedFleet;
import io.edgeloop.simulator.SimulatorOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A rollout end to end at fleet scale: {@code edgeloop server} as a separate process (embedded
 * broker and H2), the fleet simulator in this JVM with N real agents serving fashion 1.0.0, then
 * a 1 MB package (fashion 2.0.0) rolled out to all of them in one wave with zero soak, from
 * {@code POST /api/v1/rollouts} until every execution is SUCCEEDED. Prints total seconds,
 * notifications/s (executions that left QUEUED), downloads/s (executions past DOWNLOADING), and the
 * CPU seconds of the server process and of the simulator. Then, unless {@code --no-gate}, a slow
 * candidate under live traffic with a p95 gate on its first wave: seconds from the gate's breach
 * to the halt and to the whole fleet rolled back, as the rollout reports them.
 *
 * <p>Run: {@code tests/bench RolloutBenchmark [--agents 200,1000] [--package-bytes 1000000]
 * [--gate-agents 200] [--no-gate] [--timeout-seconds 600]} from the repository root after
 * {@code mvn package}. Goals on a quiet 2-core machine: 200 agents in 12 s, 1,000 in 60 s, breach
 * to halt in 10 s. The figures of a busy machine are not the goals'.
 */
public final class RolloutBenchmark {
    static final String GROUP = "bench";

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String n : arg(args, "--agents", "200,1000").split(",")) {
            sizes.add(Integer.parseInt(n.strip()));
        }
        long packageBytes = Long.parseLong(arg(args, "--package-bytes", "1000000"));
        int gateAgents = Integer.parseInt(arg(args, "--gate-agents", "200"));
        int timeout = Integer.parseInt(arg(args, "--timeout-seconds", "600"));
        boolean gate = !Set.of(args).contains("--no-gate");
        // A thousand agents' INFO lines would bury the figures.
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
            logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path work = Files.createTempDirectory("rollout-bench");
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(work.resolve("keys"));
        Path v1 = RolloutPackages.mlp(work.resolve("pkg"), "1.0.0", 1, keys);
        Path big = RolloutPackages.sized(work.resolve("pkg"), "2.0.0", packageBytes, 2, keys);
        Path slow = RolloutPackages.slow(work.resolve("pkg"), "3.0.0", 60, 3, keys);
        System.out.printf("RolloutBenchmark: %d CPUs, package %s %d bytes; fleets %s%n",
                Runtime.getRuntime().availableProcessors(), big.getFileName(), Files.size(big), sizes);
        for (int agents : sizes) {
            endToEnd(work.resolve("run-" + agents), keys, v1, big, agents, timeout);
        }
        if (gate) {
            gateBreach(work.resolve("gate"), keys, v1, slow, gateAgents, timeout);
        }
    }

    /** One wave, zero soak, all SUCCEEDED. */
    static void endToEnd(Path dir, KeyPairFiles.Paths keys, Path v1, Path big, int agents, int timeout) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir.resolve("server"), keys.publicKey(), List.of("-Xmx1g"), List.of())) {
            FleetRest rest = new FleetRest(server.url(), server.adminToken());
            long joinStart = System.nanoTime();
            try (SimulatedFleet fleet = SimulatedFleet.start(SimulatorOptions.of(URI.create(server.url()), agents,
                    server.adminToken(), dir.resolve("sim")).withGroup(GROUP).withPublicKey(keys.publicKey())
                    .withInitialPackage(v1))) {
                await(timeout, () -> rest.devices("?online=true&group=" + GROUP).size() == agents, () -> "all online (online "
                        + rest.devices("?online=true&group=" + GROUP).size() + ", simulator " + fleet.snapshot().line() + ")");
                double joined = (System.nanoTime() - joinStart) / 1e9;
                rest.upload(big);
                double serverCpu0 = server.cpuSeconds();
                double simCpu0 = ownCpuSeconds();
                long t0 = System.nanoTime();
                ObjectNode body = FleetRest.rollout(RolloutPackages.MODEL + ":2.0.0", GROUP, 100);
                ((ObjectNode) body.path("waves").path(0).path("abort")).put("thresholdPercent", 100);
                String id = rest.createRollout(body);
                double notifiedAt = Double.NaN;
                double downloadedAt = Double.NaN;
                JsonNode state;
                while (true) {
                    state = rest.rolloutState(id);
                    List<JsonNode> executions = rest.executions(id);
                    double now = (System.nanoTime() - t0) / 1e9;
                    long notified = executions.stream().filter(e -> !e.path("state").asText().equals("QUEUED")).count();
                    long downloaded = executions.stream().filter(RolloutBenchmark::pastDownload).count();
                    if (Double.isNaN(notifiedAt) && notified >= agents) {
                        notifiedAt = now;
                    }
                    if (Double.isNaN(downloadedAt) && downloaded >= agents) {
                        downloadedAt = now;
                    }
                    if (FleetRest.FINAL_STATES.contains(state.path("state").asText()) || now > timeout) {
                        break;
                    }
                    Thread.sleep(100);
                }
                double total = (System.nanoTime() - t0) / 1e9;
                List<JsonNode> executions = rest.executions(id);
                var counts = FleetRest.byState(executions);
                // The server's side from its own timestamps: when it published each job, and each job's notify-to-end time.
                Instant created = instant(state, "createdAt");
                double lastPublished = executions.stream().map(e -> instant(e, "notifiedAt")).filter(java.util.Objects::nonNull)
                        .mapToDouble(t -> Duration.between(created, t).toMillis() / 1000.0).max().orElse(Double.NaN);
                double[] perJob = executions.stream().filter(e -> instant(e, "endedAt") != null && instant(e, "notifiedAt") != null)
                        .mapToDouble(e -> Duration.between(instant(e, "notifiedAt"), instant(e, "endedAt")).toMillis() / 1000.0)
                        .sorted().toArray();
                System.out.printf("%d agents (joined and online in %.1f s): rollout %s in %.1f s; executions %s;"
                                + " the server published all jobs within %.1f s (%.0f notifications/s); all devices had started"
                                + " at %.1f s (%.0f/s) and downloaded at %.1f s (%.0f downloads/s); notify to end per job p50 %.1f s,"
                                + " p95 %.1f s, max %.1f s; CPU server %.1f s, simulator %.1f s; served %s%n", agents, joined,
                        state.path("state").asText(), total, counts, lastPublished, agents / lastPublished, notifiedAt,
                        agents / notifiedAt, downloadedAt, agents / downloadedAt, pct(perJob, 0.5), pct(perJob, 0.95),
                        pct(perJob, 1.0), server.cpuSeconds() - serverCpu0, ownCpuSeconds() - simCpu0,
                        fleet.snapshot().models());
            }
        }
    }

    /** A slow candidate with live traffic and a p95 gate on a soaking first wave. */
    static void gateBreach(Path dir, KeyPairFiles.Paths keys, Path v1, Path slow, int agents, int timeout) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir.resolve("server"), keys.publicKey(), List.of("-Xmx1g"), List.of())) {
            FleetRest rest = new FleetRest(server.url(), server.adminToken());
            try (SimulatedFleet fleet = SimulatedFleet.start(SimulatorOptions.of(URI.create(server.url()), agents,
                    server.adminToken(), dir.resolve("sim")).withGroup(GROUP).withPublicKey(keys.publicKey())
                    .withInitialPackage(v1).withTraffic(5, null).withHealthInterval(Duration.ofSeconds(1)))) {
                await(timeout, () -> rest.devices("?online=true&group=" + GROUP).size() == agents, () -> "all online (online "
                        + rest.devices("?online=true&group=" + GROUP).size() + ", simulator " + fleet.snapshot().line() + ")");
                rest.upload(slow);
                // The previous version's latency on these devices first.
                Thread.sleep(5_000);
                ObjectNode body = FleetRest.rollout(RolloutPackages.MODEL + ":3.0.0", GROUP, 20, 100);
                ((ObjectNode) body.path("waves").path(0)).put("soakSeconds", 60);
                body.putObject("gate").put("maxP95Ratio", 2.0).put("minRequests", 50);
                long t0 = System.nanoTime();
                String id = rest.createRollout(body);
                JsonNode done = rest.awaitFinal(id, timeout);
                Instant breach = instant(done, "breachAt");
                Instant halted = instant(done, "haltedAt");
                Instant rolledBack = instant(done, "rolledBackAt");
                System.out.printf("gate: %d agents, slow candidate: rollout %s after %.1f s; gate %s; breach to halt %s s,"
                                + " breach to all rolled back %s s; executions %s; served %s%n", agents,
                        done.path("state").asText(), (System.nanoTime() - t0) / 1e9, done.path("gate").path("outcome").asText(),
                        seconds(breach, halted), seconds(breach, rolledBack), FleetRest.byState(rest.executions(id)),
                        fleet.snapshot().models());
            }
        }
    }

    static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    static boolean pastDownload(JsonNode execution) {
        String state = execution.path("state").asText();
        String step = execution.path("step").asText("");
        return state.equals("SUCCEEDED") || (state.equals("IN_PROGRESS") && !step.isEmpty() && !step.equals("DOWNLOADING"));
    }

    static Instant instant(JsonNode node, String field) {
        String text = node.path(field).isNull() ? "" : node.path(field).asText("");
        return text.isEmpty() || text.equals("null") ? null : Instant.parse(text);
    }

    static String seconds(Instant from, Instant to) {
        return from == null || to == null ? "n/a" : String.format("%.1f", Duration.between(from, to).toMillis() / 1000.0);
    }

    static double ownCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(int seconds, Check check, java.util.function.Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + seconds + " s: " + what.get());
            }
            Thread.sleep(200);
        }
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
