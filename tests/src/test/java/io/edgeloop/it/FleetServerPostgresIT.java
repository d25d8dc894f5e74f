package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fleet server on a real PostgreSQL 15 (started and stopped by the test): the same Flyway
 * migrations as H2, then the REST flows (tokens, devices, enrolment, audit, packages with a
 * ranged download), and a restart of the server against the same database.
 */
class FleetServerPostgresIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresServer postgres;

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startPostgres() throws Exception {
        String why = PostgresServer.unavailable();
        assumeTrue(why == null, why);
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void migratesAndServesTheRestFlowsOnPostgres() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path pkg = TestPackages.mlpPackage(dir.resolve("pkgs"), "pg-model", "1.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        FleetServerOptions options = FleetServerOptions.embedded(dir.resolve("server"), 0, 0)
                .withDatabase(postgres.jdbcUrl(), PostgresServer.USER, "").withTrustedKeys(List.of(keys.publicKey()));
        String admin;
        String password;
        try (FleetServer server = FleetServer.start(options, FleetServer.Plugins.defaults())) {
            String base = "http://localhost:" + server.httpPort() + "/api/v1";
            admin = Files.readString(dir.resolve("server").resolve(AdminTokenFile.FILE_NAME)).strip();

            assertEquals(401, send(base + "/devices", null, "GET", null).statusCode());
            String viewer = json(send(base + "/tokens", admin, "POST", Map.of("name", "v", "role", "viewer"))).get("token").asText();
            assertEquals(403, send(base + "/devices", viewer, "POST", Map.of("deviceId", "pg-1")).statusCode());

            JsonNode reg = json(send(base + "/devices", admin, "POST", Map.of("deviceId", "pg-1", "group", "g",
                    "tags", Map.of("site", "a"))));
            HttpResponse<String> enrolled = send(base + "/enrol", null, "POST",
                    Map.of("deviceId", "pg-1", "enrolToken", reg.get("enrolToken").asText()));
            assertEquals(200, enrolled.statusCode(), enrolled.body());
            password = json(enrolled).get("mqttPassword").asText();
            assertEquals(401, send(base + "/enrol", null, "POST",
                    Map.of("deviceId", "pg-1", "enrolToken", reg.get("enrolToken").asText())).statusCode());
            assertTrue(server.credentials().authenticate("pg-1", password.getBytes(StandardCharsets.UTF_8)).isPresent());
            assertEquals(1, json(send(base + "/devices?group=g&tag=site%3Da&online=false", viewer, "GET", null)).size());
            assertEquals(200, send(base + "/devices/pg-1", admin, "PATCH", Map.of("tags", Map.of("site", "b"))).statusCode());

            HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/packages"))
                    .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.ofFile(pkg)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, up.statusCode(), up.body());
            JsonNode token = json(send(base + "/packages/pg-model/1.0.0/download-tokens", admin, "POST", Map.of("deviceId", "pg-1")));
            byte[] bytes = Files.readAllBytes(pkg);
            HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.httpPort()
                    + token.get("url").asText())).header("Range", "bytes=100-").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, tail.statusCode());
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 100, bytes.length), tail.body());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), token.get("sha256").asText());

            JsonNode audit = json(send(base + "/audit?target=device:pg-1", admin, "GET", null));
            assertEquals(List.of("device.update", "device.enrol", "device.register"),
                    java.util.stream.StreamSupport.stream(audit.spliterator(), false).map(e -> e.get("action").asText()).toList());
            assertEquals("a", audit.get(0).get("before").get("tags").get("site").asText());

            // V7 datasets on PostgreSQL: an import through PII rules, its row, its audit, a second import refused.
            String csv = "email,id,x,label\nann@example.org,c1,1.0,yes\nbob@example.org,c2,2.0,no\n";
            HttpResponse<String> imported = importCsv(base + "/datasets?name=pg-people&label=label&pii=email:drop,id:hash",
                    admin, csv);
            assertEquals(201, imported.statusCode(), imported.body());
            assertEquals(2, json(send(base + "/datasets/pg-people", viewer, "GET", null)).get("rows").asInt());
            assertEquals("dataset.import", json(send(base + "/audit?target=dataset:pg-people", admin, "GET", null))
                    .get(0).get("action").asText());
            HttpResponse<String> again = importCsv(base + "/datasets?name=pg-people&label=label&pii=email:drop,id:hash",
                    admin, csv);
            assertEquals(409, again.statusCode(), again.body());
            assertTrue(again.body().contains("DATASET_ALREADY_EXISTS"), again.body());
        }

        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, "");
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            List<String> versions = new java.util.ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            // Every migration the server carries, in order (V4 rollouts and later ones too).
            List<String> shipped;
            try (var files = Files.list(Path.of("").toAbsolutePath().getParent()
                    .resolve("fleet-server/src/main/resources/db/migration"))) {
                shipped = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                        .map(n -> n.substring(1, n.indexOf("__"))).sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                        .toList();
            }
            assertTrue(shipped.size() >= 3 && shipped.subList(0, 3).equals(List.of("1", "2", "3")), shipped.toString());
            assertEquals(shipped, versions);
        }

        // A second start on the same database: migrations are up to date, the admin token stays.
        try (FleetServer again = FleetServer.start(options, FleetServer.Plugins.defaults())) {
            assertNull(again.adminTokenFile());
            String base = "http://localhost:" + again.httpPort() + "/api/v1";
            assertEquals("pg-model", json(send(base + "/packages", admin, "GET", null)).get(0).get("name").asText());
            assertEquals("hash", json(send(base + "/datasets", admin, "GET", null)).get(0).get("rules").get("id").asText());
            assertTrue(again.credentials().authenticate("pg-1", password.getBytes(StandardCharsets.UTF_8)).isPresent());
        }
    }

    private HttpResponse<String> importCsv(String url, String token, String csv) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String url, String token, String method, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return http.send(b.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertTrue(r.statusCode() < 300, r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }
}
