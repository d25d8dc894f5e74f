package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.bench.fleet.FleetRest;
import io.edgeloop.bench.fleet.RolloutPackages;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.agent.jobs.JobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts across crashing and stuck devices (the server's own crashes and replica failover are in
 * the rollout-server ITs): an agent process killed with SIGKILL mid-download (a 6 MB package through
 * a proxy at 1 MB/s that counts the bytes on the wire) resumes after its restart and fetches at
 * most one chunk twice; an agent process frozen with SIGSTOP times out and blocks neither its
 * rollout nor the next one; a newer rollout of the same model cancels the older one's pending
 * executions.
 */
class RolloutCrashIT {
    @TempDir
    static Path dir;
    static KeyPairFiles.Paths keys;
    static Path v100;
    static Path v110;
    static Path v120;

    @BeforeAll
    static void packages() throws Exception {
        keys = TestPackages.publisherKeys(dir.resolve("keys"));
        v100 = RolloutPackages.mlp(dir.resolve("pkg"), "1.0.0", 1, keys);
        v110 = RolloutPackages.mlp(dir.resolve("pkg"), "1.1.0", 2, keys);
        v120 = RolloutPackages.mlp(dir.resolve("pkg"), "1.2.0", 3, keys);
    }

    @Test
    void aFrozenAgentTimesOutAndTheNextRolloutIsNotBlocked() throws Exception {
        try (RolloutFleet fleet = RolloutFleet.start(dir.resolve("frozen"), null, RolloutFleet.Spec.of(4, 1, keys.publicKey(),
                v100))) {
            fleet.rest.upload(v110);
            fleet.rest.upload(v120);
            AgentProcess frozen = fleet.processes.get("proc-0");
            signal("STOP", frozen.pid());
            try {
                ObjectNode body = FleetRest.rollout(RolloutPackages.MODEL + ":1.1.0", RolloutFleet.GROUP, 100);
                ObjectNode wave = (ObjectNode) body.path("waves").path(0);
                wave.put("successThreshold", 0.8);
                ((ObjectNode) wave.path("abort")).put("thresholdPercent", 50);
                body.putObject("timeouts").put("inProgressSeconds", 10).put("stepSeconds", 10).put("livenessSeconds", 10);
                long t0 = System.nanoTime();
                String first = fleet.rest.createRollout(body);
                JsonNode done = fleet.rest.awaitFinal(first, 120);
                Map<String, JsonNode> executions = fleet.executionsByDevice(first);
                assertEquals("TIMED_OUT", executions.get("proc-0").path("state").asText(), executions.toString());
                assertEquals(4, executions.values().stream().filter(e -> e.path("state").asText().equals("SUCCEEDED")).count(),
                        executions.toString());
                assertEquals("SUCCEEDED", done.path("state").asText(), done.toString());
                double firstSeconds = (System.nanoTime() - t0) / 1e9;

                // The next rollout, the device still frozen: it goes on for everyone else.
                body.put("package", RolloutPackages.MODEL + ":1.2.0");
                String second = fleet.rest.createRollout(body);
                fleet.rest.awaitRollout(second, 120, r -> fleet.executionsByDevice(second).values().stream()
                        .filter(e -> e.path("state").asText().equals("SUCCEEDED")).count() == 4);
                signal("CONT", frozen.pid());
                JsonNode again = fleet.rest.awaitFinal(second, 120);
                System.out.printf("frozen: rollout 1 %s in %.1f s with the SIGSTOPped agent TIMED_OUT; rollout 2 %s, executions"
                                + " %s, served %s%n", done.path("state").asText(), firstSeconds, again.path("state").asText(),
                        FleetRest.byState(fleet.rest.executions(second)), fleet.servedVersions(RolloutPackages.MODEL));
                assertTrue(FleetRest.FINAL_STATES.contains(again.path("state").asText()), again.toString());
            } finally {
                signal("CONT", frozen.pid());
            }
        }
    }

    @Test
    void aNewerRolloutOfTheSameModelCancelsTheOlderOnesPendingExecutions() throws Exception {
        Path slowToFetch = RolloutPackages.sized(dir.resolve("pkg"), "1.1.5", 3_000_000, 5, keys);
        try (ThrottledProxy proxy = new ThrottledProxy(500_000);
             RolloutFleet fleet = RolloutFleet.start(dir.resolve("superseded"), null, RolloutFleet.Spec.of(10, 0,
                     keys.publicKey(), v100).withDownloadsThrough(proxy))) {
            fleet.rest.upload(slowToFetch);
            fleet.rest.upload(v120);
            String a = fleet.rest.createRollout(FleetRest.rollout(RolloutPackages.MODEL + ":1.1.5", RolloutFleet.GROUP, 100));
            // Every device busy with the older one: 3 MB at 0.5 MB/s each takes about 6 s.
            fleet.rest.awaitRollout(a, 60, r -> fleet.executionsByDevice(a).values().stream()
                    .filter(e -> e.path("state").asText().equals("IN_PROGRESS")).count() >= 5);
            Map<String, JsonNode> before = fleet.executionsByDevice(a);
            long pending = before.values().stream().filter(e -> List.of("QUEUED", "IN_PROGRESS")
                    .contains(e.path("state").asText())).count();
            String b = fleet.rest.createRollout(FleetRest.rollout(RolloutPackages.MODEL + ":1.2.0", RolloutFleet.GROUP, 100));
            JsonNode old = fleet.rest.awaitFinal(a, 60);
            assertEquals("CANCELED", old.path("state").asText(), old.toString());
            JsonNode newer = fleet.rest.awaitFinal(b, 180);
            assertEquals("SUCCEEDED", newer.path("state").asText(), newer.toString());
            Map<String, JsonNode> oldExecutions = fleet.executionsByDevice(a);
            long canceled = oldExecutions.values().stream().filter(e -> e.path("state").asText().equals("CANCELED")
                    && e.path("errorCode").asText().equals("JOB_SUPERSEDED")).count();
            assertTrue(canceled >= pending - 1, "pending before " + pending + ", superseded " + canceled + ": " + oldExecutions);
            assertTrue(oldExecutions.values().stream().noneMatch(e -> List.of("QUEUED", "IN_PROGRESS")
                    .contains(e.path("state").asText())), oldExecutions.toString());
            assertEquals(Map.of("SUCCEEDED", 10), FleetRest.byState(fleet.rest.executions(b)));
            FleetTelemetryIT.waitFor(30, () -> fleet.servedVersions(RolloutPackages.MODEL).equals(Map.of("1.2.0", 10)),
                    () -> "served: " + fleet.servedVersions(RolloutPackages.MODEL));
            System.out.printf("superseded: older rollout %s with %d of its %d pending executions CANCELED (JOB_SUPERSEDED),"
                    + " executions %s; newer %s, every agent serves 1.2.0%n", old.path("state").asText(), canceled, pending,
                    FleetRest.byState(List.copyOf(oldExecutions.values())), newer.path("state").asText());
        }
    }

    @Test
    void anAgentKilledMidDownloadResumesAndFetchesAtMostOneChunkTwice() throws Exception {
        Path big = RolloutPackages.sized(dir.resolve("pkg"), "1.3.0", 6_000_000, 4, keys);
        long size = Files.size(big);
        try (ThrottledProxy proxy = new ThrottledProxy(1_000_000);
             RolloutFleet fleet = RolloutFleet.start(dir.resolve("killed"), null, RolloutFleet.Spec.of(0, 1, keys.publicKey(),
                     v100).withDownloadsThrough(proxy))) {
            fleet.rest.upload(big);
            AgentProcess agent = fleet.processes.get("proc-0");
            Path agentDir = dir.resolve("killed").resolve("proc-0");
            ObjectNode body = FleetRest.rollout(RolloutPackages.MODEL + ":1.3.0", RolloutFleet.GROUP, 100);
            body.putObject("timeouts").put("inProgressSeconds", 300).put("stepSeconds", 300).put("livenessSeconds", 300);
            String id = fleet.rest.createRollout(body);
            // Killed once a third of the package is on its disk.
            FleetTelemetryIT.waitFor(60, () -> partBytes(agentDir) > size / 3, () -> "part file " + partBytes(agentDir));
            agent.kill();
            long onDisk = partBytes(agentDir);
            long sentAtKill = proxy.bytesToClients();
            AgentProcess again = AgentProcess.start(InJvmAgents.options(agentDir, "proc-0", keys.publicKey()),
                    List.of("--server", fleet.rest.base(), "--health-interval-seconds", "1"), List.of("-Xmx160m"));
            fleet.processes.put("proc-0", again);
            JsonNode done = fleet.rest.awaitFinal(id, 180);
            assertEquals("SUCCEEDED", done.path("state").asText(), done.toString());
            assertEquals("1.3.0", fleet.served("proc-0", RolloutPackages.MODEL));
            long sent = proxy.bytesToClients();
            // HTTP headers of each range request aside, what went over the wire beyond the package is what was fetched twice.
            long twice = sent - size - proxy.connections() * 1024;
            assertTrue(twice <= JobOptions.DEFAULT_CHUNK_BYTES, "fetched twice: " + twice + " bytes (sent " + sent
                    + " for a package of " + size + ", " + proxy.connections() + " connections)");
            System.out.printf("killed mid-download: SIGKILL with %d of %d bytes on disk (%d sent); resumed after restart,"
                            + " %d bytes sent in all over %d connections: at most %d bytes fetched twice (one chunk is %d)%n",
                    onDisk, size, sentAtKill, sent, proxy.connections(), Math.max(0, sent - size), JobOptions.DEFAULT_CHUNK_BYTES);
        }
    }

    static long partBytes(Path agentDir) {
        try (var files = Files.walk(agentDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).mapToLong(p -> p.toFile().length()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
    }
}
