package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real HTTP round trip: train through the API, poll the run, register and promote the model. */
class TrainingRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private String token;

    @Test
    void trainsRegistersAndPromotesOverHttp() throws Exception {
        Path csv = dir.resolve("data.csv");
        StringBuilder rows = new StringBuilder("x,y,label\n");
        Random random = new Random(1);
        for (int i = 0; i < 300; i++) {
            int label = i % 2;
            rows.append(String.format(Locale.ROOT, "%.3f,%.3f,%s%n", label * 3 + random.nextGaussian(),
                    random.nextGaussian(), label == 1 ? "pos" : "neg"));
        }
        Files.writeString(csv, rows);
        String dataset = "csv:" + csv + "?label=label";
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0), FleetServer.Plugins.defaults())) {
            String base = "http://localhost:" + server.httpPort() + "/api/v1";
            token = Files.readString(dir.resolve("admin.token")).strip();

            HttpResponse<String> bad = post(base + "/training-runs", "{\"dataset\":\"x\",\"model\":\"transformer\"}");
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("unknown model 'transformer'"), bad.body());

            HttpResponse<String> accepted = post(base + "/training-runs", JSON.writeValueAsString(java.util.Map.of(
                    "dataset", dataset, "model", "logreg", "epochs", 10, "learningRate", 0.05, "batchSize", 32)));
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = JSON.readTree(accepted.body()).get("id").asText();

            JsonNode run = null;
            for (int i = 0; i < 600; i++) {
                run = JSON.readTree(get(base + "/training-runs/" + id).body());
                if (!"RUNNING".equals(run.get("status").asText())) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals("SUCCEEDED", run.get("status").asText(), run.toString());
            assertTrue(run.get("metrics").get("test_accuracy").asDouble() > 0.8, run.toString());
            assertEquals(10, run.get("epochs").size());
            assertTrue(get(base + "/training-runs").body().contains(id));

            HttpResponse<String> registered = post(base + "/models/demo/versions", "{\"runId\":\"" + id + "\"}");
            assertEquals(201, registered.statusCode(), registered.body());
            assertEquals(1, JSON.readTree(registered.body()).get("version").asInt());

            HttpResponse<String> promoted = post(base + "/models/demo/versions/1/promote",
                    JSON.writeValueAsString(java.util.Map.of("stage", "production", "holdout", dataset)));
            assertEquals(200, promoted.statusCode(), promoted.body());
            JsonNode versions = JSON.readTree(get(base + "/models/demo/versions").body());
            assertEquals("PRODUCTION", versions.get(0).get("stage").asText());
            assertEquals(id, versions.get(0).get("runId").asText());
            JsonNode audit = JSON.readTree(get(base + "/audit?target=model:demo@v1").body());
            assertEquals("model.promote", audit.get(0).get("action").asText(), audit.toString());
            assertEquals("admin (first start)", audit.get(0).get("actorName").asText(), "the caller's token, not the server");
            assertEquals("PROMOTE", audit.get(0).get("after").get("gate").get("verdict").asText());
            assertEquals(300, audit.get(0).get("after").get("gate").get("holdoutSamples").asInt(), audit.toString());

            assertEquals(404, get(base + "/models/demo/versions/9/promote-nothing").statusCode());
            HttpResponse<String> missing = post(base + "/models/demo/versions/9/promote", "{\"stage\":\"staging\"}");
            assertEquals(404, missing.statusCode(), missing.body());
        }
    }

    @Test
    void errorsAnswerErrorAndCodeWithTheCodesStatusAsTheAgentDoes() throws Exception {
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0), FleetServer.Plugins.defaults())) {
            String base = "http://localhost:" + server.httpPort() + "/api/v1";
            token = Files.readString(dir.resolve("admin.token")).strip();
            Map<HttpResponse<String>, Object[]> cases = new LinkedHashMap<>();
            cases.put(post(base + "/training-runs", "{\"model\":\"transformer\"}"), new Object[]{400, "INVALID_ARGUMENT"});
            cases.put(post(base + "/training-runs", "{not json"), new Object[]{400, "MALFORMED_MESSAGE"});
            cases.put(post(base + "/models/demo/versions/9/promote", "{\"stage\":\"staging\"}"),
                    new Object[]{404, "MODEL_NOT_FOUND"});
            cases.put(get(base + "/nothing/here"), new Object[]{404, "NOT_FOUND"});
            cases.put(get("http://localhost:" + server.httpPort() + "/"), new Object[]{404, "NOT_FOUND"});
            cases.put(http.send(HttpRequest.newBuilder(URI.create(base + "/models")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString()), new Object[]{405, "METHOD_NOT_ALLOWED"});
            for (Map.Entry<HttpResponse<String>, Object[]> c : cases.entrySet()) {
                HttpResponse<String> r = c.getKey();
                assertEquals(c.getValue()[0], r.statusCode(), r.body());
                JsonNode body = JSON.readTree(r.body());
                assertEquals(c.getValue()[1], body.path("code").asText(), r.body());
                assertTrue(body.path("error").asText().length() > 10, r.body());
                assertFalse(body.path("error").asText().startsWith(c.getValue()[1] + ":"),
                        "the code is its own field, not a prefix of the sentence: " + r.body());
            }
        }
    }

    @Test
    void aPortInUseIsReportedAsPortInUseNamingThePort() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> FleetServer.start(
                    FleetServerOptions.embedded(dir, taken.getLocalPort(), 0), FleetServer.Plugins.defaults()));
            assertEquals(ErrorCode.PORT_IN_USE, e.code(), e.describe());
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
