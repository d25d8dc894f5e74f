package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The fleet REST API over the JDK HttpClient: JSON in and out, uploads streamed from the file.
 * A refusal becomes a {@link FleetClientException} with the server's code and sentence.
 */
public final class FleetClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String server;
    private final String token;

    public FleetClient(String server, String token) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.token = token;
    }

    public JsonNode get(String path) throws IOException, InterruptedException, FleetClientException {
        return send(request(path).GET());
    }

    public JsonNode delete(String path) throws IOException, InterruptedException, FleetClientException {
        return send(request(path).DELETE());
    }

    public JsonNode post(String path, Object body) throws IOException, InterruptedException, FleetClientException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    public JsonNode put(String path, Object body) throws IOException, InterruptedException, FleetClientException {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** Streams {@code file} as the request body, never reading it whole. */
    public JsonNode upload(String path, Path file) throws IOException, InterruptedException, FleetClientException {
        return upload(path, file, "application/octet-stream");
    }

    /** Streams {@code file} as the request body of type {@code contentType}. */
    public JsonNode upload(String path, Path file, String contentType)
            throws IOException, InterruptedException, FleetClientException {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofFile(file)));
    }

    /** {@code path?k=v&…} with the non-null values, URL-encoded. */
    public static String query(String path, Map<String, String> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v != null) {
                q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return q.length() == 0 ? path : path + "?" + q;
    }

    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + "/api/v1" + path)).timeout(Duration.ofMinutes(10));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException, FleetClientException {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            body = JSON.nullNode();
        }
        if (r.statusCode() >= 400) {
            String code = body.path("code").asText("HTTP_" + r.statusCode());
            String sentence = body.path("error").asText("the server answered " + r.statusCode());
            throw new FleetClientException(r.statusCode(), code, sentence);
        }
        return body;
    }
}
