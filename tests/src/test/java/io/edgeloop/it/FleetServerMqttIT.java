package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.Agent;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real fleet server with its MQTT half on the embedded broker: devices registered over REST
 * with the admin token, one agent process and one in-JVM agent enrolling at the server's own
 * {@code POST /api/v1/enrol}, both online in {@code GET /api/v1/devices?online=true}, their health
 * and drift queryable over REST; a revoked device goes offline and stays cut off.
 */
class FleetServerMqttIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    @Test
    void agentsEnrolAtTheServerComeOnlineReportAndAreCutOffWhenRevoked() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path pkg = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        float[] images = TestImages.testSet().features();
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir.resolve("server"), 0, 0),
                FleetServer.Plugins.defaults().withMqtt());
             InJvmAgents inJvm = new InJvmAgents()) {
            String base = "http://127.0.0.1:" + server.httpPort();
            String admin = Files.readString(server.adminTokenFile()).strip();
            String tokenA = call("POST", base + "/api/v1/devices", admin, "{\"deviceId\":\"srv-a\"}").get("enrolToken").asText();
            String tokenB = call("POST", base + "/api/v1/devices", admin, "{\"deviceId\":\"srv-b\"}").get("enrolToken").asText();
            try (AgentProcess a = AgentProcess.start(InJvmAgents.options(dir.resolve("srv-a"), "srv-a", keys.publicKey()),
                    List.of("--package", pkg.toString(), "--server", base, "--enrol-token", tokenA,
                            "--health-interval-seconds", "1"), List.of("-Xmx160m"))) {
                Agent b = inJvm.add(dir.resolve("srv-b"), "srv-b", pkg, keys.publicKey(), base, tokenB);
                InJvmAgents.infer(a.port(), images, 20);
                InJvmAgents.infer(b.port(), images, 20);
                b.reportHealth();
                FleetTelemetryIT.waitFor(60, () -> online(base, admin) == 2, () -> "online: " + online(base, admin));
                for (String id : List.of("srv-a", "srv-b")) {
                    FleetTelemetryIT.waitFor(60, () -> count(base, admin, "/api/v1/devices/" + id + "/telemetry?stream=drift") > 0
                            && count(base, admin, "/api/v1/devices/" + id + "/telemetry?stream=health") > 0,
                            () -> id + " has no health or drift yet");
                }
                JsonNode device = call("GET", base + "/api/v1/devices/srv-b", admin, null);
                assertEquals("fashion", device.get("model").asText(), device.toString());
                assertTrue(count(base, admin, "/api/v1/models/fashion/versions/1.0.0/telemetry?stream=drift") >= 2);
                call("POST", base + "/api/v1/devices/srv-b/revoke", admin, null);
                FleetTelemetryIT.waitFor(30, () -> online(base, admin) == 1, () -> "online after revoking: " + online(base, admin));
                System.out.printf("fleet server: 2 agents enrolled over REST, online, reporting; revoked srv-b offline;"
                        + " ingest %s%n", call("GET", base + "/api/v1/ingest", admin, null));
            }
        }
    }

    private static int online(String base, String token) {
        try {
            return call("GET", base + "/api/v1/devices?online=true", token, null).size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int count(String base, String token, String path) {
        try {
            return call("GET", base + path, token, null).get("count").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private static JsonNode call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
