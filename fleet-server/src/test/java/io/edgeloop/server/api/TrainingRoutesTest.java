package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

            assertEquals(404, get(base + "/models/demo/versions/9/promote-nothing").statusCode());
            HttpResponse<String> missing = post(base + "/models/demo/versions/9/promote", "{\"stage\":\"staging\"}");
            assertEquals(404, missing.statusCode(), missing.body());
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
