package io.edgeloop.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator against a stand-in of the server's REST shape (registration with a bearer token,
 * the enrolment exchange) and no broker: every agent is registered with its group and tags, enrols
 * with its own token and keeps its own folder; a second run in the same folder enrols nobody again
 * and needs no token; traffic reaches every agent's model through one shared session.
 * (The real server and broker: FleetSimulatorIT in the tests module.)
 */
class SimulatedFleetTest {
    static final int AGENTS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer server;
    final Map<String, String> tokens = new ConcurrentHashMap<>();
    final List<JsonNode> registered = new CopyOnWriteArrayList<>();
    final List<String> enrolled = new CopyOnWriteArrayList<>();
    int closedPort;

    @BeforeEach
    void fakeServer() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/devices", ex -> {
            if (!"Bearer op-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "{\"error\":\"no\",\"code\":\"AUTHENTICATION_REQUIRED\"}");
                return;
            }
            JsonNode body = JSON.readTree(ex.getRequestBody());
            registered.add(body);
            String token = "enrol-" + UUID.randomUUID();
            tokens.put(body.get("deviceId").asText(), token);
            reply(ex, 201, JSON.createObjectNode().put("deviceId", body.get("deviceId").asText()).put("enrolToken", token)
                    .toString());
        });
        server.createContext("/api/v1/enrol", ex -> {
            JsonNode body = JSON.readTree(ex.getRequestBody());
            String id = body.get("deviceId").asText();
            if (!body.get("enrolToken").asText().equals(tokens.remove(id))) {
                reply(ex, 401, "{\"error\":\"bad token\",\"code\":\"ENROL_TOKEN_INVALID\"}");
                return;
            }
            enrolled.add(id);
            reply(ex, 200, JSON.createObjectNode().put("deviceId", id).put("mqttUrl", "tcp://127.0.0.1:" + closedPort)
                    .put("mqttUsername", id).put("mqttPassword", "pw-" + id).toString());
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Test
    void agentsRegisterEnrolOnceServeTrafficOnOneSessionAndRestartEnrolled() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path pkg = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        SimulatorOptions options = SimulatorOptions.of(url, AGENTS, "op-token", dir.resolve("fleet"))
                .withGroup("lab").withTags(Map.of("site", "bench")).withPublicKey(keys.publicKey()).withInitialPackage(pkg)
                .withTraffic(50, null);
        try (SimulatedFleet fleet = SimulatedFleet.start(options)) {
            FleetSnapshot s = fleet.snapshot();
            assertEquals(AGENTS, s.enrolled());
            assertEquals(0, s.connected(), "no broker listens");
            assertEquals(AGENTS, s.serving("fashion", "1.0.0"));
            assertEquals(1, s.sharedSessions(), "one model content, one session");
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (fleet.snapshot().requests() < AGENTS * 5L && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(fleet.snapshot().requests() >= AGENTS * 5L, fleet.snapshot().line());
            long served = fleet.agents().stream().mapToLong(a -> a.agent().health().requestsTotal()).filter(n -> n > 0).count();
            assertEquals(AGENTS, served, "every agent served traffic");
            System.out.println(fleet.snapshot().line());
        }
        Set<String> ids = registered.stream().map(n -> n.get("deviceId").asText()).collect(Collectors.toSet());
        assertEquals(AGENTS, ids.size());
        assertEquals(Set.copyOf(enrolled), ids);
        assertTrue(registered.stream().allMatch(n -> n.get("group").asText().equals("lab")
                && n.get("tags").get("site").asText().equals("bench")), registered.toString());
        for (int i = 0; i < AGENTS; i++) {
            assertTrue(Files.isDirectory(options.agentDir(i).resolve("db")), options.agentDir(i).toString());
        }

        // Again in the same folder, without a token: the devices are enrolled and keep their model.
        try (SimulatedFleet again = SimulatedFleet.start(SimulatorOptions.of(url, AGENTS, null, dir.resolve("fleet"))
                .withPublicKey(keys.publicKey()))) {
            assertEquals(AGENTS, again.snapshot().enrolled());
            assertEquals(AGENTS, again.snapshot().serving("fashion", "1.0.0"));
        }
        assertEquals(AGENTS, enrolled.size(), "nobody enrolled twice");

        // One more agent than enrolled, without a token: refused with what to do.
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> SimulatedFleet.start(
                SimulatorOptions.of(url, AGENTS + 1, null, dir.resolve("fleet"))).close());
        assertEquals(ErrorCode.AUTHENTICATION_REQUIRED, e.code());
        assertTrue(e.getMessage().contains("--token"), e.getMessage());
    }
}
