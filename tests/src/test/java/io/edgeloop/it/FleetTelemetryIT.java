package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.agent.Agent;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.broker.MosquittoFiles;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.telemetry.DeviceStates;
import io.edgeloop.server.telemetry.TelemetryQueries;
import java.nio.file.Files;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrolment and telemetry end to end: the fleet server ({@code FleetServer} with its MQTT half, as
 * {@code edgeloop server} runs it), 20 agents (3 separate agent processes, 17 in this JVM), each
 * registered over REST and enrolling at the server with its one-time token, coming online from its birth
 * and status, and reporting health and drift from its RocksDB outbox. Once on the embedded broker,
 * once on a real Mosquitto process whose password and ACL files the server writes.
 */
class FleetTelemetryIT {
    static final int AGENTS = 20;
    static final int PROCESSES = 3;
    @TempDir
    static Path dir;
    static KeyPairFiles.Paths keys;
    static Path pkg;
    static float[] images;

    @BeforeAll
    static void fixtures() throws Exception {
        keys = TestPackages.publisherKeys(dir.resolve("keys"));
        pkg = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        images = TestImages.testSet().features();
    }

    @Test
    void twentyAgentsEnrolComeOnlineAndReportOnTheEmbeddedBroker() throws Exception {
        run("embedded", null);
    }

    @Test
    void twentyAgentsEnrolComeOnlineAndReportThroughMosquitto() throws Exception {
        assumeTrue(MosquittoProcess.available(), "Mosquitto is not installed at " + MosquittoProcess.BINARY);
        try (MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"))) {
            run("mosquitto", mosquitto);
        }
    }

    private void run(String name, MosquittoProcess mosquitto) throws Exception {
        Path root = dir.resolve(name);
        long t0 = System.nanoTime();
        List<AgentProcess> processes = new ArrayList<>();
        try (RealServer server = RealServer.start(root.resolve("server"), mosquitto);
             InJvmAgents inJvm = new InJvmAgents()) {
            List<Integer> ports = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            try {
                for (int i = 0; i < AGENTS; i++) {
                    String id = name + "-dev-" + i;
                    ids.add(id);
                    String token = server.enrolToken(id);
                    if (i < PROCESSES) {
                        AgentProcess p = AgentProcess.start(InJvmAgents.options(root.resolve(id), id, keys.publicKey()),
                                List.of("--package", pkg.toString(), "--server", server.httpUrl(), "--enrol-token", token,
                                        "--health-interval-seconds", "1"), List.of("-Xmx160m"));
                        processes.add(p);
                        ports.add(p.port());
                    } else {
                        Agent a = inJvm.add(root.resolve(id), id, pkg, keys.publicKey(), server.httpUrl(), token);
                        ports.add(a.port());
                    }
                }
                long started = System.nanoTime();
                // 20 requests fill a drift window of 20; health: processes every second, in-JVM agents now.
                for (int port : ports) {
                    InJvmAgents.infer(port, images, 20);
                }
                inJvm.agents.forEach(Agent::reportHealth);
                waitFor(60, () -> online(server) == AGENTS, () -> "online: " + online(server) + " of " + AGENTS);
                waitFor(60, () -> ids.stream().allMatch(id -> reported(server, id, "health") && reported(server, id, "drift")),
                        () -> "devices without health or drift: " + ids.stream()
                                .filter(id -> !reported(server, id, "health") || !reported(server, id, "drift")).toList());
                long health = 0;
                long drift = 0;
                for (String id : ids) {
                    health += server.telemetry.forDevice(id, "health", 0, 10_000).size();
                    drift += server.telemetry.forDevice(id, "drift", 0, 10_000).size();
                    DeviceStates.State s = server.states.get(id).orElseThrow();
                    assertEquals("generic-x86_64", s.profileId(), id);
                    assertTrue(s.models().contains("\"fashion\""), s.models());
                    assertTrue(s.lastHealth() != null && s.lastDrift() != null, id);
                }
                // Per model version: every device's drift windows of fashion 1.0.0.
                assertEquals(drift, server.telemetry.forModel("fashion", "1.0.0", "drift", 0, 10_000).size());
                System.out.printf("%s: %d agents (%d processes) enrolled, online and reporting %.1f s after the first"
                                + " request; %d health and %d drift messages stored; whole run %.1f s%n", name, AGENTS, PROCESSES,
                        (System.nanoTime() - started) / 1e9, health, drift, (System.nanoTime() - t0) / 1e9);
            } finally {
                for (AgentProcess p : processes) {
                    p.close();
                }
            }
            // A killed agent process goes offline through its last will.
            waitFor(60, () -> online(server) == AGENTS - PROCESSES,
                    () -> "online after killing the processes: " + online(server));
        }
    }

    /** The real server in this JVM, with the queries the checks read, and REST registration. */
    static final class RealServer implements AutoCloseable {
        final FleetServer server;
        final TelemetryQueries telemetry;
        final DeviceStates states;
        private final String admin;

        private RealServer(FleetServer server) throws Exception {
            this.server = server;
            this.telemetry = new TelemetryQueries(server.database());
            this.states = new DeviceStates(server.database());
            this.admin = Files.readString(server.adminTokenFile()).strip();
        }

        static RealServer start(Path dataDir, MosquittoProcess mosquitto) throws Exception {
            FleetServerOptions o = FleetServerOptions.embedded(dataDir, 0, 0);
            if (mosquitto != null) {
                // Mosquitto needs its files before it starts; the server rewrites them from then on.
                Files.createDirectories(dataDir);
                new MosquittoFiles(mosquitto.filesDir(), null).write(ServerMqttLogin.loadOrCreate(
                        dataDir.resolve(ServerMqttLogin.DEFAULT_FILE)).account(), List.of());
                mosquitto.start();
                o = o.withExternalBroker(mosquitto.url(), mosquitto.filesDir(), mosquitto.pidFile());
            }
            return new RealServer(FleetServer.start(o, FleetServer.Plugins.defaults().withMqtt()));
        }

        String httpUrl() {
            return "http://127.0.0.1:" + server.httpPort();
        }

        /** {@code POST /api/v1/devices} with the admin token: the device's one-time enrolment token. */
        String enrolToken(String deviceId) throws Exception {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(httpUrl()
                            + "/api/v1/devices")).header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + deviceId + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("enrolToken").asText();
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    static int online(RealServer server) {
        try {
            return server.states.list(true).size();
        } catch (Exception e) {
            return -1;
        }
    }

    static boolean reported(TestFleetServer server, String id, String stream) {
        try {
            return !server.telemetry.forDevice(id, stream, 0, 1).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    static boolean reported(RealServer server, String id, String stream) {
        try {
            return !server.telemetry.forDevice(id, stream, 0, 1).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    static void waitFor(int seconds, BooleanSupplier condition, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + state.get());
            }
            Thread.sleep(250);
        }
    }
}
