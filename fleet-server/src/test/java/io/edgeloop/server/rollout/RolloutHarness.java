package io.edgeloop.server.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.fixtures.ApiClient;
import io.edgeloop.server.fixtures.MutableClock;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A fleet server with its MQTT half and rollout engine (fast tick) on H2 in a temp dir, two
 * uploaded versions of a package ({@code classifier} 1.0.0 and 1.1.0), registered devices, and a
 * {@link FakeFleet} answering job documents. The clock is a {@link MutableClock} so timeouts are
 * moved past, not waited for.
 */
final class RolloutHarness implements AutoCloseable {
    static final RolloutEngine.Options FAST = new RolloutEngine.Options(Duration.ofMillis(100), Duration.ofSeconds(2));

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final Path dir;
    final FleetServer server;
    final ApiClient api;
    final String admin;
    final String operator;
    final FakeFleet fleet;

    RolloutHarness(Path dir, Path packagesDir) throws Exception {
        this.dir = dir;
        KeyPairFiles.Paths keys = KeyPairFiles.generate(Files.createDirectories(packagesDir.resolve("keys")), "publisher");
        Path v1 = TestPackages.mlpPackage(packagesDir.resolve("a"), "classifier", "1.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        Path v2 = TestPackages.mlpPackage(packagesDir.resolve("b"), "classifier", "1.1.0", KeyPairFiles.loadPair(keys.privateKey()));
        server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0).withTrustedKeys(List.of(keys.publicKey())),
                FleetServer.Plugins.defaults().withMqtt().withClock(clock).withEngine(FAST));
        api = new ApiClient(server.httpPort());
        admin = Files.readString(dir.resolve(AdminTokenFile.FILE_NAME)).strip();
        operator = api.post("/api/v1/tokens", admin, Map.of("name", "ci", "role", "operator")).json().get("token").asText();
        for (Path p : List.of(v1, v2)) {
            ApiClient.Reply up = api.send(api.request("/api/v1/packages", admin).header("Content-Type",
                    "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(p)));
            assertEquals(201, up.status(), up.body());
        }
        fleet = new FakeFleet("tcp://localhost:" + server.mqttPort(), dir.resolve(ServerMqttLogin.DEFAULT_FILE));
    }

    /** Registers {@code d-00 … d-(n-1)} in {@code group}. */
    void devices(String group, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            device(String.format("d-%02d", i), group);
        }
    }

    void device(String id, String group) throws Exception {
        ApiClient.Reply r = api.post("/api/v1/devices", operator, Map.of("deviceId", id, "group", group));
        assertEquals(201, r.status(), r.body());
    }

    String create(Map<String, ?> body) throws Exception {
        ApiClient.Reply r = api.post("/api/v1/rollouts", operator, body);
        assertEquals(201, r.status(), r.body());
        return r.json().get("rolloutId").asText();
    }

    JsonNode get(String id) throws Exception {
        ApiClient.Reply r = api.get("/api/v1/rollouts/" + id, operator);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    JsonNode executions(String id) throws Exception {
        return api.get("/api/v1/rollouts/" + id + "/executions", operator).json();
    }

    /** Waits (up to {@code seconds}) until the rollout satisfies {@code done}; returns its last view. */
    JsonNode await(String id, int seconds, Predicate<JsonNode> done, String what) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(id);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("rollout " + id + " did not reach: " + what + "; last seen " + last.toPrettyString());
    }

    JsonNode awaitState(String id, String state) throws Exception {
        return await(id, 30, r -> r.get("state").asText().equals(state), "state " + state);
    }

    static void waitFor(int seconds, java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Override
    public void close() throws Exception {
        fleet.close();
        server.close();
    }
}
