package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** The fleet REST calls the rollout ITs make, against whichever server process is up. */
final class RolloutRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token;

    RolloutRest(String token) {
        this.token = token;
    }

    JsonNode post(String base, String path, Object body) throws Exception {
        HttpResponse<String> r = http.send(request(base, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode upload(String base, Path file) throws Exception {
        HttpResponse<String> r = http.send(request(base, "/api/v1/packages").header("Content-Type",
                "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("upload answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode get(String base, String path) throws Exception {
        HttpResponse<String> r = http.send(request(base, path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Polls the rollout until {@code done} holds; the last view. */
    JsonNode await(String base, String id, int seconds, Predicate<JsonNode> done, String what) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(base, "/api/v1/rollouts/" + id);
                if (done.test(last)) {
                    return last;
                }
            } catch (java.io.IOException e) {
                // the server is starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("rollout " + id + " did not reach " + what + "; last seen "
                + (last == null ? "nothing" : last.toPrettyString()));
    }

    private HttpRequest.Builder request(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
    }
}
