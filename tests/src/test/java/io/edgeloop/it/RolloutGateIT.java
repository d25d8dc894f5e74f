package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.bench.fleet.FleetRest;
import io.edgeloop.bench.fleet.RolloutPackages;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality gate on live traffic: 20 simulated agents serve the fixture MLP (1.0.0) under
 * traffic, reporting health every second; candidate 1.1.0 installs and validates (its own
 * reference answers) but runs 60 extra 256x256 layers, so its p95 is many times the MLP's on the
 * same devices. Its first wave (4 devices) soaks; the gate (p95 at most 2x the previous version's)
 * is breached, the rollout halts without notifying the rest of the fleet, and the 4 roll back to
 * 1.0.0, each reporting ROLLED_BACK. Prints breach to halt and breach to all rolled back.
 */
class RolloutGateIT {
    static final int AGENTS = 20;
    @TempDir
    Path dir;

    @Test
    void aSlowCandidateTripsTheP95GateDuringSoakAndTheFleetRollsBack() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path v100 = RolloutPackages.mlp(dir.resolve("pkg"), "1.0.0", 1, keys);
        Path slow = RolloutPackages.slow(dir.resolve("pkg"), "1.1.0", 60, 2, keys);
        try (RolloutFleet fleet = RolloutFleet.start(dir, null, RolloutFleet.Spec.of(AGENTS, 0, keys.publicKey(), v100)
                .withTraffic(10, Duration.ofSeconds(1)))) {
            fleet.rest.upload(slow);
            // Health of 1.0.0 on every device first: the baseline the gate compares with.
            Thread.sleep(4_000);
            ObjectNode body = FleetRest.rollout(RolloutPackages.MODEL + ":1.1.0", RolloutFleet.GROUP, 20, 100);
            ((ObjectNode) body.path("waves").path(0)).put("soakSeconds", 60);
            body.putObject("gate").put("maxP95Ratio", 2.0).put("minRequests", 50);
            long t0 = System.nanoTime();
            String id = fleet.rest.createRollout(body);
            JsonNode done = fleet.rest.awaitFinal(id, 240);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals("ROLLED_BACK", done.path("state").asText(), done.toString());
            assertEquals("BREACH", done.path("gate").path("outcome").asText(), done.toString());
            Map<String, JsonNode> executions = fleet.executionsByDevice(id);
            int wave1 = done.path("waves").path(0).path("targeted").asInt();
            assertEquals(4, wave1, done.toString());
            long rolledBack = executions.values().stream().filter(e -> e.path("state").asText().equals("ROLLED_BACK")).count();
            assertEquals(wave1, rolledBack, executions.toString());
            // The rest never took 1.1.0 and were never notified.
            long notified = executions.values().stream().filter(e -> !e.path("notifiedAt").asText("").isEmpty()
                    && !e.path("notifiedAt").isNull()).count();
            assertEquals(wave1, notified, "notified beyond wave 1: " + executions);
            FleetTelemetryIT.waitFor(30, () -> fleet.servedVersions(RolloutPackages.MODEL).equals(Map.of("1.0.0", AGENTS)),
                    () -> "served: " + fleet.servedVersions(RolloutPackages.MODEL));
            Instant breach = Instant.parse(done.path("breachAt").asText());
            Instant halted = Instant.parse(done.path("haltedAt").asText());
            Instant back = Instant.parse(done.path("rolledBackAt").asText());
            assertNotNull(breach);
            assertTrue(!halted.isBefore(breach) && !back.isBefore(halted), done.toString());
            System.out.printf("gate: slow candidate on %d of %d agents breached p95 (%s); breach to halt %.1f s, breach to"
                            + " all %d rolled back %.1f s; rollout ended %s after %.1f s; every agent serves 1.0.0%n", wave1,
                    AGENTS, done.path("gate").path("checks"), Duration.between(breach, halted).toMillis() / 1000.0, wave1,
                    Duration.between(breach, back).toMillis() / 1000.0, done.path("state").asText(), seconds);
        }
    }
}
