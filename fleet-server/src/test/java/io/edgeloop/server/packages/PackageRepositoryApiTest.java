package io.edgeloop.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.fixtures.ApiClient;
import io.edgeloop.server.fixtures.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upload refusals, content-addressed storage, delete guards and resumable, token-bound downloads. */
class PackageRepositoryApiTest {
    @TempDir
    static Path fixtures;
    private static KeyPairFiles.Paths publisher;
    private static KeyPairFiles.Paths stranger;
    private static Path pkg;
    private static Path pkgB;
    private static Path foreign;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final List<String> rollouts = new ArrayList<>();
    private FleetServer server;
    private ApiClient api;
    private String admin;

    @org.junit.jupiter.api.BeforeAll
    static void packages() throws Exception {
        publisher = KeyPairFiles.generate(java.nio.file.Files.createDirectories(fixtures.resolve("keys")), "publisher");
        stranger = KeyPairFiles.generate(java.nio.file.Files.createDirectories(fixtures.resolve("keys")), "stranger");
        pkg = TestPackages.mlpPackage(fixtures, "classifier", "1.0.0", KeyPairFiles.loadPair(publisher.privateKey()));
        pkgB = TestPackages.mlpPackage(fixtures, "classifier", "1.1.0", KeyPairFiles.loadPair(publisher.privateKey()));
        foreign = TestPackages.mlpPackage(fixtures.resolve("other"), "classifier", "2.0.0", KeyPairFiles.loadPair(stranger.privateKey()));
    }

    @BeforeEach
    void start() throws Exception {
        FleetServerOptions options = FleetServerOptions.embedded(dir, 0, 0)
                .withTrustedKeys(List.of(publisher.publicKey())).withMaxPackageBytes(Files.size(pkg) + 64 * 1024);
        PackageReferences fakeRollouts = (name, version) ->
                rollouts.contains(name + "@" + version) ? List.of("rollout r-1") : List.of();
        server = FleetServer.start(options, FleetServer.Plugins.defaults().withClock(clock)
                .withPackageReferences(List.of(fakeRollouts)));
        api = new ApiClient(server.httpPort());
        admin = Files.readString(dir.resolve(AdminTokenFile.FILE_NAME)).strip();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void uploadStoresByContentAndRefusesDuplicates() throws Exception {
        ApiClient.Reply up = upload(pkg);
        assertEquals(201, up.status(), up.body());
        String sha = sha256(Files.readAllBytes(pkg));
        assertEquals(sha, up.json().get("sha256").asText());
        assertEquals("classifier", up.json().get("name").asText());
        Path stored = dir.resolve("packages/sha256/" + sha.substring(0, 2) + "/" + sha + ".elpkg");
        assertArrayEquals(Files.readAllBytes(pkg), Files.readAllBytes(stored));

        ApiClient.Reply dup = upload(pkg);
        assertEquals(409, dup.status());
        assertEquals("PACKAGE_ALREADY_EXISTS", dup.code());
        assertEquals(1, api.get("/api/v1/packages", admin).json().size());
        JsonNode one = api.get("/api/v1/packages/classifier/1.0.0", admin).json();
        assertEquals("classifier", one.get("manifest").get("name").asText());
        assertEquals("PACKAGE_NOT_FOUND", api.get("/api/v1/packages/classifier/9.9.9", admin).code());
        assertEquals(List.of(), incoming(), "no upload file is left behind");
        assertEquals("package.upload", api.get("/api/v1/audit?target=package:classifier@1.0.0", admin)
                .json().get(0).get("action").asText());
    }

    @Test
    void enrolmentHandsTheDeviceTheTrustedPublisherKeys() throws Exception {
        String token = api.post("/api/v1/devices", admin, Map.of("deviceId", "edge-7")).json().get("enrolToken").asText();
        ApiClient.Reply enrolled = api.post("/api/v1/enrol", null, Map.of("deviceId", "edge-7", "enrolToken", token));
        assertEquals(200, enrolled.status(), enrolled.body());
        JsonNode keys = enrolled.json().get("publisherKeys");
        assertEquals(1, keys.size(), enrolled.body());
        assertArrayEquals(KeyPairFiles.loadPublic(publisher.publicKey()).getEncoded(),
                java.util.Base64.getDecoder().decode(keys.get(0).asText()));
    }

    @Test
    void refusalsCarryTheVerifiersCodeAndStoreNothing() throws Exception {
        byte[] bytes = Files.readAllBytes(pkg);
        byte[] corrupted = bytes.clone();
        corrupted[bytes.length / 2] ^= 0x01;
        Path bad = Files.write(dir.resolve("corrupted.elpkg"), corrupted);
        ApiClient.Reply refused = upload(bad);
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.code().startsWith("PACKAGE_"), refused.body());

        ApiClient.Reply wrongKey = upload(foreign);
        assertEquals(400, wrongKey.status());
        assertEquals("PACKAGE_KEY_MISMATCH", wrongKey.code());

        Path big = dir.resolve("big.elpkg");
        try (var out = Files.newOutputStream(big)) {
            out.write(bytes);
            out.write(new byte[200 * 1024]);
        }
        ApiClient.Reply tooLarge = upload(big);
        assertEquals(413, tooLarge.status());
        assertEquals("PACKAGE_TOO_LARGE", tooLarge.code());

        ApiClient.Reply viewer = api.send(api.request("/api/v1/packages", createToken("viewer"))
                .POST(HttpRequest.BodyPublishers.ofFile(pkg)));
        assertEquals(403, viewer.status());

        assertEquals(0, api.get("/api/v1/packages", admin).json().size());
        try (Stream<Path> files = Files.walk(dir.resolve("packages/sha256"))) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "nothing stored on refusal");
        }
        assertEquals(List.of(), incoming());
    }

    @Test
    void deleteIsRefusedWhileReferred() throws Exception {
        upload(pkg);
        String sha = upload(pkgB).json().get("sha256").asText();
        rollouts.add("classifier@1.1.0");
        ApiClient.Reply inUse = api.delete("/api/v1/packages/classifier/1.1.0", admin);
        assertEquals(409, inUse.status());
        assertEquals("PACKAGE_IN_USE", inUse.code());
        assertTrue(inUse.json().get("error").asText().contains("rollout r-1"), inUse.body());

        api.post("/api/v1/devices", admin, Map.of("deviceId", "d1"));
        assertEquals(200, api.patch("/api/v1/devices/d1", admin,
                Map.of("desiredModel", Map.of("packageName", "classifier", "version", "1.0.0"))).status());
        assertEquals("PACKAGE_IN_USE", api.delete("/api/v1/packages/classifier/1.0.0", admin).code());

        rollouts.clear();
        assertEquals(200, api.delete("/api/v1/packages/classifier/1.1.0", admin).status());
        assertTrue(Files.notExists(dir.resolve("packages/sha256/" + sha.substring(0, 2) + "/" + sha + ".elpkg")),
                "the deleted package's file is gone");
        assertEquals(1, api.get("/api/v1/packages", admin).json().size());
    }

    @Test
    void downloadResumesFromItsOffsetWithADeviceBoundToken() throws Exception {
        upload(pkg);
        upload(pkgB);
        api.post("/api/v1/devices", admin, Map.of("deviceId", "d1"));
        api.post("/api/v1/devices", admin, Map.of("deviceId", "d2"));
        JsonNode minted = api.post("/api/v1/packages/classifier/1.0.0/download-tokens", admin,
                Map.of("deviceId", "d1")).json();
        String url = minted.get("url").asText();
        long size = minted.get("sizeBytes").asLong();
        byte[] expected = Files.readAllBytes(pkg);

        // Half of it, then the connection drops.
        HttpResponse<InputStream> first = api.http().send(HttpRequest.newBuilder(java.net.URI.create(api.base() + url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, first.statusCode());
        assertEquals("bytes", first.headers().firstValue("Accept-Ranges").orElseThrow());
        byte[] head;
        try (InputStream in = first.body()) {
            head = in.readNBytes((int) (size / 2));
        }
        HttpResponse<byte[]> rest = api.http().send(HttpRequest.newBuilder(java.net.URI.create(api.base() + url))
                .header("Range", "bytes=" + head.length + "-").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, rest.statusCode());
        assertEquals("bytes " + head.length + "-" + (size - 1) + "/" + size,
                rest.headers().firstValue("Content-Range").orElseThrow());
        byte[] whole = new byte[head.length + rest.body().length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(rest.body(), 0, whole, head.length, rest.body().length);
        assertEquals(sha256(expected), sha256(whole));
        assertEquals(minted.get("sha256").asText(), sha256(whole));

        ApiClient.Reply beyond = api.send(api.request(url, null).header("Range", "bytes=" + size + "-"));
        assertEquals(416, beyond.status());
        assertEquals("RANGE_NOT_SATISFIABLE", beyond.code());

        String token = minted.get("token").asText();
        String sha = minted.get("sha256").asText();
        ApiClient.Reply otherDevice = api.get("/api/v1/packages/" + sha + "/content?device=d2&token=" + token, null);
        assertEquals(403, otherDevice.status());
        assertEquals("DOWNLOAD_TOKEN_INVALID", otherDevice.code());
        String otherSha = api.get("/api/v1/packages/classifier/1.1.0", admin).json().get("sha256").asText();
        ApiClient.Reply otherPackage = api.get("/api/v1/packages/" + otherSha + "/content?device=d1&token=" + token, null);
        assertEquals(403, otherPackage.status());
        assertEquals("DOWNLOAD_TOKEN_INVALID", otherPackage.code());
        assertEquals(403, api.get("/api/v1/packages/" + sha + "/content?device=d1&token=" + token + "x", null).status());

        clock.advance(FleetServerOptions.DEFAULT_DOWNLOAD_TOKEN_TTL.plus(Duration.ofSeconds(1)));
        ApiClient.Reply expired = api.get(url, null);
        assertEquals(403, expired.status());
        assertEquals("DOWNLOAD_TOKEN_EXPIRED", expired.code());
    }

    private ApiClient.Reply upload(Path file) throws Exception {
        return api.send(api.request("/api/v1/packages", admin).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)));
    }

    private String createToken(String role) throws Exception {
        return api.post("/api/v1/tokens", admin, Map.of("name", role, "role", role)).json().get("token").asText();
    }

    private List<Path> incoming() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("packages/incoming"))) {
            return files.toList();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
