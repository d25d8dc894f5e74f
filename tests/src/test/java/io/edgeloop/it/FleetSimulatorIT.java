package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.bench.fleet.FleetRest;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.simulator.FleetSnapshot;
import io.edgeloop.simulator.SimulatedFleet;
import io.edgeloop.simulator.SimulatorOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgeloop simulate}'s fleet against the real server on its embedded broker: 20 agents in
 * this JVM registered over REST in a group with a tag, each enrolled with its own token and
 * online through its own MQTT connection (the server's device list says so), each reporting its
 * model in its birth; one shared engine session.
 */
class FleetSimulatorIT {
    static final int AGENTS = 20;
    @TempDir
    Path dir;

    @Test
    void twentySimulatedAgentsRegisterEnrolAndComeOnline() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path pkg = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir.resolve("server"), 0, 0),
                FleetServer.Plugins.defaults().withMqtt())) {
            String base = "http://127.0.0.1:" + server.httpPort();
            String admin = Files.readString(server.adminTokenFile()).strip();
            FleetRest api = new FleetRest(base, admin);
            long t0 = System.nanoTime();
            try (SimulatedFleet fleet = SimulatedFleet.start(SimulatorOptions.of(URI.create(base), AGENTS, admin,
                    dir.resolve("sim")).withGroup("lab").withTags(Map.of("site", "bench")).withPublicKey(keys.publicKey())
                    .withInitialPackage(pkg))) {
                FleetTelemetryIT.waitFor(60, () -> fleet.snapshot().connected() == AGENTS, () -> fleet.snapshot().line());
                FleetTelemetryIT.waitFor(60, () -> api.devices("?online=true&group=lab").size() == AGENTS,
                        () -> "online in the server's list: " + api.devices("?online=true&group=lab").size());
                FleetSnapshot s = fleet.snapshot();
                assertEquals(AGENTS, s.serving("fashion", "1.0.0"));
                assertEquals(1, s.sharedSessions());
                for (JsonNode d : api.devices("?tag=site%3Dbench")) {
                    assertEquals("fashion", d.path("model").asText(), d.toString());
                }
                assertEquals(AGENTS, api.devices("?tag=site%3Dbench").size());
                System.out.printf("simulator: %d agents registered, enrolled and online in %.1f s (joined in %.1f s)%n",
                        AGENTS, (System.nanoTime() - t0) / 1e9, s.joinedSeconds());
            }
            FleetTelemetryIT.waitFor(60, () -> api.devices("?online=true").isEmpty(),
                    () -> "still online after the simulator closed: " + api.devices("?online=true").size());
            assertTrue(api.devices("").size() >= AGENTS);
        }
    }
}
