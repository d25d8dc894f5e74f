package io.edgeloop.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.devices.CredentialsListener;
import io.edgeloop.server.fixtures.ApiClient;
import io.edgeloop.server.fixtures.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens, roles, devices, enrolment, revocation and the audit log over real HTTP on H2. */
class FleetApiTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private FleetServer server;
    private ApiClient api;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0), FleetServer.Plugins.defaults().withClock(clock));
        api = new ApiClient(server.httpPort());
        admin = Files.readString(dir.resolve(AdminTokenFile.FILE_NAME)).strip();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void adminTokenIsOwnerOnlyAndWrittenOnlyOnFirstStart() throws Exception {
        Path file = dir.resolve(AdminTokenFile.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(file, server.adminTokenFile());
        server.close();
        server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0), FleetServer.Plugins.defaults().withClock(clock));
        assertNull(server.adminTokenFile(), "a restart keeps the existing admin token");
        assertEquals(admin, Files.readString(file).strip());
        assertEquals(200, new ApiClient(server.httpPort()).get("/api/v1/tokens", admin).status());
    }

    @Test
    void bearerTokensAndRoles() throws Exception {
        ApiClient.Reply none = api.get("/api/v1/devices", null);
        assertEquals(401, none.status());
        assertEquals("AUTHENTICATION_REQUIRED", none.code());
        assertTrue(none.json().get("error").asText().contains("Authorization: Bearer"), none.body());
        assertEquals(401, api.get("/api/v1/devices", "elt_wrong").status());

        String viewer = createToken("dashboard", "viewer");
        String operator = createToken("ci", "operator");
        assertEquals(200, api.get("/api/v1/devices", viewer).status());
        ApiClient.Reply denied = api.post("/api/v1/devices", viewer, Map.of("deviceId", "d1"));
        assertEquals(403, denied.status());
        assertEquals("PERMISSION_DENIED", denied.code());
        assertEquals(201, api.post("/api/v1/devices", operator, Map.of("deviceId", "d1")).status());
        assertEquals(403, api.get("/api/v1/tokens", operator).status(), "token management is admin only");

        JsonNode listed = api.get("/api/v1/tokens", admin).json();
        assertEquals(3, listed.size());
        assertFalse(listed.toString().contains(viewer), "secrets are never listed");
        String viewerId = idOf(listed, "dashboard");
        assertEquals(200, api.delete("/api/v1/tokens/" + viewerId, admin).status());
        assertEquals(401, api.get("/api/v1/devices", viewer).status(), "a revoked token stops working");
        assertEquals("TOKEN_NOT_FOUND", api.delete("/api/v1/tokens/tok_nope", admin).code());
        assertEquals(400, api.post("/api/v1/tokens", admin, Map.of("name", "x", "role", "root")).status());
    }

    @Test
    void unknownPathsAndBadBodiesAnswerJsonErrors() throws Exception {
        ApiClient.Reply missing = api.get("/api/v1/nothing", admin);
        assertEquals(404, missing.status());
        assertEquals("NOT_FOUND", missing.code());
        ApiClient.Reply bad = api.send(api.request("/api/v1/devices", admin).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{not json")));
        assertEquals(400, bad.status());
        assertEquals("MALFORMED_MESSAGE", bad.code());
        ApiClient.Reply badId = api.post("/api/v1/devices", admin, Map.of("deviceId", "a/b"));
        assertEquals(400, badId.status());
        assertEquals("INVALID_DEVICE_ID", badId.code());
        for (String reserved : List.of("edgeloop-server", "edgeloop-ingest.edgeloop-server-1", "EdgeLoop-x")) {
            ApiClient.Reply refused = api.post("/api/v1/devices", admin, Map.of("deviceId", reserved));
            assertEquals(400, refused.status(), reserved + ": " + refused.body());
            assertEquals("DEVICE_ID_RESERVED", refused.code());
        }
        assertEquals(404, api.get("/api/v1/devices/edgeloop-server", admin).status(), "nothing was registered");
    }

    @Test
    void devicesOfANewGroupRegisterConcurrently() throws Exception {
        String admin = Files.readString(server.adminTokenFile()).strip();
        List<java.util.concurrent.Callable<Integer>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String id = "burst-" + i;
            calls.add(() -> api.post("/api/v1/devices", admin, Map.of("deviceId", id, "group", "burst")).status());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (java.util.concurrent.Future<Integer> status : pool.invokeAll(calls)) {
                assertEquals(201, status.get(), "every registration of the new group succeeds");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(16, api.get("/api/v1/devices?group=burst", admin).json().size());
    }

    @Test
    void enrolmentIsOneTimeAndExpires() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        server.credentials().addListener((id, change) -> events.add(change + " " + id));

        JsonNode reg = api.post("/api/v1/devices", admin, Map.of("deviceId", "cam-1", "group", "lobby",
                "tags", Map.of("site", "berlin"))).json();
        assertEquals("cam-1", reg.get("deviceId").asText());
        String token = reg.get("enrolToken").asText();
        assertEquals("DEVICE_ALREADY_EXISTS", api.post("/api/v1/devices", admin, Map.of("deviceId", "cam-1")).code());

        ApiClient.Reply wrongDevice = api.post("/api/v1/enrol", null, Map.of("deviceId", "cam-2", "enrolToken", token));
        assertEquals(401, wrongDevice.status());
        assertEquals("ENROL_TOKEN_INVALID", wrongDevice.code());

        ApiClient.Reply enrolled = api.post("/api/v1/enrol", null, Map.of("deviceId", "cam-1", "enrolToken", token,
                "profile", "x86-avx2"));
        assertEquals(200, enrolled.status(), enrolled.body());
        assertEquals("cam-1", enrolled.json().get("mqttUsername").asText());
        assertTrue(enrolled.json().get("mqttUrl").asText().startsWith("tcp://"), enrolled.body());
        byte[] password = enrolled.json().get("mqttPassword").asText().getBytes(StandardCharsets.UTF_8);
        assertEquals("cam-1", server.credentials().authenticate("cam-1", password).orElseThrow());
        assertTrue(server.credentials().authenticate("cam-1", "guess".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(server.credentials().active().get(0).passwordHash().startsWith("$7$101$"));
        assertEquals(List.of("ISSUED cam-1"), events);

        ApiClient.Reply again = api.post("/api/v1/enrol", null, Map.of("deviceId", "cam-1", "enrolToken", token));
        assertEquals(401, again.status());
        assertEquals("ENROL_TOKEN_INVALID", again.code());

        String late = api.post("/api/v1/devices", admin, Map.of("deviceId", "cam-2")).json().get("enrolToken").asText();
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        ApiClient.Reply expired = api.post("/api/v1/enrol", null, Map.of("deviceId", "cam-2", "enrolToken", late));
        assertEquals(403, expired.status());
        assertEquals("ENROL_TOKEN_EXPIRED", expired.code());
    }

    @Test
    void devicesFilterPatchRevokeAndAudit() throws Exception {
        api.post("/api/v1/devices", admin, Map.of("deviceId", "a", "group", "g1", "tags", Map.of("site", "x")));
        api.post("/api/v1/devices", admin, Map.of("deviceId", "b", "group", "g2", "tags", Map.of("site", "x")));
        api.post("/api/v1/devices", admin, Map.of("deviceId", "c", "group", "g1", "tags", Map.of("site", "y")));
        assertEquals(List.of("a", "c"), ids(api.get("/api/v1/devices?group=g1", admin).json()));
        assertEquals(List.of("a", "b"), ids(api.get("/api/v1/devices?tag=site%3Dx", admin).json()));
        assertEquals(List.of("a"), ids(api.get("/api/v1/devices?group=g1&tag=site%3Dx", admin).json()));
        assertEquals(List.of("a", "b", "c"), ids(api.get("/api/v1/devices?online=false", admin).json()));
        assertEquals(List.of(), ids(api.get("/api/v1/devices?online=true", admin).json()));
        assertEquals("INVALID_ARGUMENT", api.get("/api/v1/devices?tag=nokey", admin).code());
        JsonNode one = api.get("/api/v1/devices/a", admin).json();
        assertFalse(one.get("online").asBoolean());
        assertTrue(one.get("model").isNull());

        JsonNode patched = api.patch("/api/v1/devices/a", admin, Map.of("group", "g2",
                "tags", Map.of("site", "z", "rack", "4"))).json();
        assertEquals("g2", patched.get("group").asText());
        assertEquals(Map.of("rack", "4", "site", "z"), ApiClient.JSON.convertValue(patched.get("tags"), Map.class));
        assertEquals("PACKAGE_NOT_FOUND", api.patch("/api/v1/devices/a", admin,
                Map.of("desiredModel", Map.of("packageName", "p", "version", "1.0.0"))).code());
        assertEquals("DEVICE_NOT_FOUND", api.get("/api/v1/devices/zz", admin).code());

        String token = api.post("/api/v1/devices/b/enrol-token", admin, Map.of()).json().get("enrolToken").asText();
        String password = api.post("/api/v1/enrol", null, Map.of("deviceId", "b", "enrolToken", token))
                .json().get("mqttPassword").asText();
        List<String> events = new CopyOnWriteArrayList<>();
        server.credentials().addListener((id, change) -> events.add(change + " " + id));
        String operator = createToken("ops", "operator");
        assertEquals(403, api.post("/api/v1/devices/b/revoke", operator, Map.of()).status(), "revoking is admin only");
        JsonNode revoked = api.post("/api/v1/devices/b/revoke", admin, Map.of()).json();
        assertEquals("revoked", revoked.get("status").asText());
        assertEquals(List.of(CredentialsListener.Change.REVOKED + " b"), events);
        assertTrue(server.credentials().isRevoked("b"));
        assertTrue(server.credentials().authenticate("b", password.getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertEquals("DEVICE_REVOKED", api.post("/api/v1/devices/b/enrol-token", admin, Map.of()).code());

        JsonNode audit = api.get("/api/v1/audit?target=device:a", admin).json();
        assertEquals(List.of("device.update", "device.register"), actions(audit));
        JsonNode update = audit.get(0);
        assertEquals("g1", update.get("before").get("group").asText());
        assertEquals("g2", update.get("after").get("group").asText());
        assertNotNull(update.get("at").asText());
        assertTrue(update.get("actorName").asText().startsWith("admin"), update.toString());
        JsonNode byOps = api.get("/api/v1/audit?actor=ops", admin).json();
        assertEquals(0, byOps.size(), "the refused revoke changed nothing and left no entry");
        JsonNode devicesOnly = api.get("/api/v1/audit?target=device:*&limit=2", admin).json();
        assertEquals(List.of("device.revoke", "device.enrol"), actions(devicesOnly));
        assertFalse(api.get("/api/v1/audit", admin).body().contains(password), "no secret in the audit log");
        assertEquals(0, api.get("/api/v1/audit?since=2030-01-01T00:00:00Z", admin).json().size());
        assertEquals("INVALID_ARGUMENT", api.get("/api/v1/audit?since=yesterday", admin).code());
    }

    private String createToken(String name, String role) throws Exception {
        ApiClient.Reply r = api.post("/api/v1/tokens", admin, Map.of("name", name, "role", role));
        assertEquals(201, r.status(), r.body());
        return r.json().get("token").asText();
    }

    private static String idOf(JsonNode tokens, String name) {
        for (JsonNode t : tokens) {
            if (t.get("name").asText().equals(name)) {
                return t.get("id").asText();
            }
        }
        throw new AssertionError("no token " + name + " in " + tokens);
    }

    private static List<String> ids(JsonNode devices) {
        return java.util.stream.StreamSupport.stream(devices.spliterator(), false).map(d -> d.get("deviceId").asText()).toList();
    }

    private static List<String> actions(JsonNode entries) {
        return java.util.stream.StreamSupport.stream(entries.spliterator(), false).map(d -> d.get("action").asText()).toList();
    }
}
