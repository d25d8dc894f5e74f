package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.bench.fleet.FleetRest;
import io.edgeloop.bench.fleet.RolloutPackages;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts across crashing and stuck devices (the server's own crashes and replica failover are in
 * the rollout-server ITs): an agent process frozen with SIGSTOP times out and blocks neither its
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
        try (RolloutFleet fleet = RolloutFleet.start(dir.resolve("superseded"), null, RolloutFleet.Spec.of(10, 0,
                keys.publicKey(), v100))) {
            fleet.rest.upload(v110);
            fleet.rest.upload(v120);
            ObjectNode older = FleetRest.rollout(RolloutPackages.MODEL + ":1.1.0", RolloutFleet.GROUP, 20, 100);
            ((ObjectNode) older.path("waves").path(0)).put("soakSeconds", 600);
            String a = fleet.rest.createRollout(older);
            // Wave 1 (2 devices) done and soaking; the other 8 are pending.
            fleet.rest.awaitRollout(a, 120, r -> fleet.executionsByDevice(a).values().stream()
                    .filter(e -> e.path("state").asText().equals("SUCCEEDED")).count() == 2);
            String b = fleet.rest.createRollout(FleetRest.rollout(RolloutPackages.MODEL + ":1.2.0", RolloutFleet.GROUP, 100));
            JsonNode newer = fleet.rest.awaitFinal(b, 120);
            assertEquals("SUCCEEDED", newer.path("state").asText(), newer.toString());
            JsonNode old = fleet.rest.awaitFinal(a, 60);
            Map<String, JsonNode> oldExecutions = fleet.executionsByDevice(a);
            long canceled = oldExecutions.values().stream().filter(e -> e.path("state").asText().equals("CANCELED")).count();
            assertEquals(2, oldExecutions.values().stream().filter(e -> e.path("state").asText().equals("SUCCEEDED")).count(),
                    oldExecutions.toString());
            assertTrue(oldExecutions.values().stream().filter(e -> e.path("state").asText().equals("CANCELED"))
                    .allMatch(e -> e.path("errorCode").asText().equals("JOB_SUPERSEDED")), oldExecutions.toString());
            // Pending ones may never have been created as rows; those that were are canceled.
            assertTrue(oldExecutions.values().stream().noneMatch(e -> e.path("state").asText().equals("QUEUED")
                    || e.path("state").asText().equals("IN_PROGRESS")), oldExecutions.toString());
            FleetTelemetryIT.waitFor(30, () -> fleet.servedVersions(RolloutPackages.MODEL).equals(Map.of("1.2.0", 10)),
                    () -> "served: " + fleet.servedVersions(RolloutPackages.MODEL));
            System.out.printf("superseded: older rollout %s with %d pending executions CANCELED (JOB_SUPERSEDED), newer %s;"
                    + " every agent serves 1.2.0%n", old.path("state").asText(), canceled, newer.path("state").asText());
        }
    }

    static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
    }
}
