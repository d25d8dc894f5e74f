package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.bench.fleet.FleetRest;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.bench.fleet.RolloutPackages;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout across a fleet of 20 real agents: the server, 17 simulated agents in this JVM and 3
 * agent processes, all serving fashion 1.0.0; fashion 1.1.0 goes out in 3 waves (10, 50, 100 %,
 * no soak) and every execution ends SUCCEEDED, every wave DONE with all its devices succeeded, and every device (asked itself)
 * serves 1.1.0. Once through a real Mosquitto, once on the embedded broker (all 20 in this JVM).
 */
class RolloutIT {
    static final int AGENTS = 20;
    @TempDir
    static Path dir;
    static KeyPairFiles.Paths keys;
    static Path v100;
    static Path v110;

    @BeforeAll
    static void packages() throws Exception {
        keys = TestPackages.publisherKeys(dir.resolve("keys"));
        v100 = RolloutPackages.mlp(dir.resolve("pkg"), "1.0.0", 1, keys);
        v110 = RolloutPackages.mlp(dir.resolve("pkg"), "1.1.0", 2, keys);
    }

    @Test
    void threeWavesReachAllTwentyAgentsThroughMosquitto() throws Exception {
        assumeTrue(MosquittoProcess.available(), "Mosquitto is not installed at " + MosquittoProcess.BINARY);
        run("mosquitto", dir.resolve("mosquitto"), AGENTS - 3, 3);
    }

    @Test
    void threeWavesReachAllTwentyAgentsOnTheEmbeddedBroker() throws Exception {
        run("embedded", null, AGENTS, 0);
    }

    private void run(String name, Path mosquittoDir, int inJvm, int processes) throws Exception {
        Path root = dir.resolve(name);
        try (RolloutFleet fleet = RolloutFleet.start(root, mosquittoDir, RolloutFleet.Spec.of(inJvm, processes,
                keys.publicKey(), v100))) {
            assertEquals(Map.of("1.0.0", AGENTS), fleet.servedVersions(RolloutPackages.MODEL));
            fleet.rest.upload(v110);
            long t0 = System.nanoTime();
            String id = fleet.rest.createRollout(FleetRest.rollout(RolloutPackages.MODEL + ":1.1.0", RolloutFleet.GROUP,
                    10, 50, 100));
            JsonNode done = fleet.rest.awaitFinal(id, 180);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<JsonNode> executions = fleet.rest.executions(id);
            assertEquals("SUCCEEDED", done.path("state").asText(), done.toString());
            assertEquals(Map.of("SUCCEEDED", AGENTS), FleetRest.byState(executions), executions.toString());
            assertEquals(3, done.path("waves").size(), done.toString());
            int[] targeted = new int[3];
            for (int w = 0; w < 3; w++) {
                JsonNode wave = done.path("waves").path(w);
                assertEquals("DONE", wave.path("state").asText(), wave.toString());
                assertEquals(wave.path("targeted").asInt(), wave.path("counts").path("SUCCEEDED").asInt(), wave.toString());
                targeted[w] = wave.path("targeted").asInt();
            }
            // 10 % of 20 is 2 devices; 50 % is 10 in all, so 8 more; the last wave the other 10.
            assertEquals(AGENTS, targeted[0] + targeted[1] + targeted[2], done.toString());
            FleetTelemetryIT.waitFor(30, () -> fleet.servedVersions(RolloutPackages.MODEL).equals(Map.of("1.1.0", AGENTS)),
                    () -> "served: " + fleet.servedVersions(RolloutPackages.MODEL));
            System.out.printf("%s: rollout of fashion 1.1.0 to %d agents (%d processes) in 3 waves (%d, %d, %d devices):"
                            + " SUCCEEDED in %.1f s; every agent serves 1.1.0%n", name, AGENTS, processes, targeted[0],
                    targeted[1], targeted[2], seconds);
        }
    }
}
