package io.edgeloop.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The fleet server's REST API as the rollout ITs and RolloutBenchmark use it, written against the
 * contract (TEAM.md "rollouts REST", README): packages, devices, rollouts and their executions.
 * Every call fails with the status and body when the server answers other than 2xx.
 */
public final class FleetRest {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Rollout states after which nothing more happens. */
    public static final List<String> FINAL_STATES = List.of("SUCCEEDED", "ROLLED_BACK", "ABORTED", "CANCELED");

    private final String base;
    private final String token;

    public FleetRest(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public String base() {
        return base;
    }

    public String token() {
        return token;
    }

    /** A failed call: its status and the server's {@code code}. */
    public static final class CallFailed extends RuntimeException {
        public final int status;
        public final String code;

        CallFailed(String what, int status, String body) {
            super(what + " answered " + status + ": " + body);
            this.status = status;
            String c;
            try {
                c = JSON.readTree(body).path("code").asText("");
            } catch (IOException e) {
                c = "";
            }
            this.code = c;
        }
    }

    public JsonNode call(String method, String path, String body) {
        return send(method, path, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body),
                "application/json");
    }

    private JsonNode send(String method, String path, HttpRequest.BodyPublisher body, String type) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", type).method(method, body).build();
        HttpResponse<String> r;
        try {
            r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
        if (r.statusCode() / 100 != 2) {
            throw new CallFailed(method + " " + path, r.statusCode(), r.body());
        }
        try {
            return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " answered no JSON: " + r.body(), e);
        }
    }

    /** Uploads a signed package; answers the stored package. */
    public JsonNode upload(Path pkg) {
        try {
            return send("POST", "/api/v1/packages", HttpRequest.BodyPublishers.ofFile(pkg), "application/octet-stream");
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code GET /api/v1/devices} with {@code query} (e.g. {@code ?online=true&group=g}). */
    public List<JsonNode> devices(String query) {
        List<JsonNode> out = new ArrayList<>();
        try {
            call("GET", "/api/v1/devices" + query, null).forEach(out::add);
        } catch (RuntimeException e) {
            return List.of();
        }
        return out;
    }

    /** A device's registration answer ({@code enrolToken}). */
    public String register(String deviceId, String group) {
        ObjectNode body = JSON.createObjectNode().put("deviceId", deviceId);
        if (group != null) {
            body.put("group", group);
        }
        return call("POST", "/api/v1/devices", body.toString()).path("enrolToken").asText();
    }

    /** A rollout body of the contract: package, group target, explicit waves with zero soak unless given. */
    public static ObjectNode rollout(String pkg, String group, int... percents) {
        ObjectNode body = JSON.createObjectNode().put("package", pkg).put("dynamic", false);
        body.putObject("target").put("group", group);
        var waves = body.putArray("waves");
        for (int p : percents) {
            ObjectNode w = waves.addObject().put("percent", p).put("successThreshold", 1.0).put("soakSeconds", 0);
            w.putObject("abort").put("failureType", "ALL").put("thresholdPercent", 20).put("minExecuted", 1);
        }
        return body;
    }

    /** Creates a rollout; answers its id. */
    public String createRollout(JsonNode body) {
        return call("POST", "/api/v1/rollouts", body.toString()).path("rolloutId").asText();
    }

    public JsonNode rolloutState(String id) {
        return call("GET", "/api/v1/rollouts/" + enc(id), null);
    }

    public List<JsonNode> executions(String id) {
        List<JsonNode> out = new ArrayList<>();
        call("GET", "/api/v1/rollouts/" + enc(id) + "/executions", null).forEach(out::add);
        return out;
    }

    public JsonNode action(String id, String action) {
        return call("POST", "/api/v1/rollouts/" + enc(id) + "/" + action, "{}");
    }

    /** Polls the rollout until {@code done} holds, failing after {@code seconds} with its last state. */
    public JsonNode awaitRollout(String id, int seconds, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = rolloutState(id);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("rollout " + id + " not there within " + seconds + " s: " + last);
    }

    /** Polls until the rollout is in a final state. */
    public JsonNode awaitFinal(String id, int seconds) throws InterruptedException {
        return awaitRollout(id, seconds, r -> FINAL_STATES.contains(r.path("state").asText()));
    }

    /** Executions per state, e.g. {@code {SUCCEEDED=18, FAILED=2}}. */
    public static java.util.Map<String, Integer> byState(List<JsonNode> executions) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        executions.forEach(e -> counts.merge(e.path("state").asText(), 1, Integer::sum));
        return counts;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
