package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a local client of one edge agent does over its KServe v2 API: asks whether a model is
 * ready, classifies one image under a request id, and posts the ground truth for a request id
 * later ({@code POST /v2/models/{name}/feedback}), as an annotator's tool would.
 */
final class AgentClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private volatile String inputName;
    private volatile String shapeTail;

    AgentClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String base() {
        return base;
    }

    /** The version of {@code model} the agent serves, or null while it serves none. */
    String activeVersion(String model) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/v2/models/" + model)).GET());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode meta = JSON.readTree(r.body());
            if (inputName == null) {
                JsonNode input = meta.get("inputs").get(0);
                StringBuilder tail = new StringBuilder();
                for (int i = 1; i < input.get("shape").size(); i++) {
                    tail.append(',').append(input.get("shape").get(i).asLong());
                }
                shapeTail = tail.toString();
                inputName = input.get("name").asText();
            }
            JsonNode versions = meta.get("versions");
            return versions != null && versions.size() > 0 ? versions.get(versions.size() - 1).asText()
                    : meta.path("parameters").path("version").asText(null);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** One answer: the predicted class and the version that answered. */
    record Prediction(int label, String version) {
    }

    /** Classifies one image under {@code requestId}. */
    Prediction classify(String model, String requestId, float[] image) throws IOException, InterruptedException {
        StringBuilder b = new StringBuilder(image.length * 8 + 160).append("{\"id\":\"").append(requestId)
                .append("\",\"inputs\":[{\"name\":\"").append(inputName).append("\",\"datatype\":\"FP32\",\"shape\":[1")
                .append(shapeTail).append("],\"data\":[");
        for (int i = 0; i < image.length; i++) {
            b.append(i == 0 ? "" : ",").append(image[i]);
        }
        b.append("]}]}");
        HttpResponse<String> r = post("/v2/models/" + model + "/infer", b.toString());
        JsonNode answer = JSON.readTree(r.body());
        JsonNode data = answer.get("outputs").get(0).get("data");
        int best = 0;
        for (int i = 1; i < data.size(); i++) {
            if (data.get(i).asDouble() > data.get(best).asDouble()) {
                best = i;
            }
        }
        return new Prediction(best, answer.path("model_version").asText(""));
    }

    /** The ground truth of an earlier request. */
    void feedback(String model, String requestId, int label) throws IOException, InterruptedException {
        post("/v2/models/" + model + "/feedback", "{\"id\":\"" + requestId + "\",\"label\":" + label + "}");
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 200) {
            throw new IOException("POST " + base + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
