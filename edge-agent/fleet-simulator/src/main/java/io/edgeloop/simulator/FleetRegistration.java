package io.edgeloop.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The simulator's use of the fleet server's REST API: register a device ({@code POST
 * /api/v1/devices}, operator) for its one-time enrolment token, or get a new token for a device
 * registered earlier whose agent never finished enrolling ({@code POST
 * /api/v1/devices/{id}/enrol-token}). The agent then enrols itself with the token, as a device does.
 */
public final class FleetRegistration {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final URI server;
    private final String token;

    public FleetRegistration(HttpClient http, URI server, String token) {
        this.http = http;
        this.server = server;
        this.token = token;
    }

    /**
     * A one-time enrolment token for {@code deviceId}, registering it in {@code group} with
     * {@code tags} first; a device already registered gets a fresh token.
     */
    public String enrolToken(String deviceId, String group, Map<String, String> tags) throws EdgeLoopException {
        if (token == null) {
            throw new EdgeLoopException(ErrorCode.AUTHENTICATION_REQUIRED, "device " + deviceId + " must be registered first: pass"
                    + " --token (an operator token, e.g. the server's admin.token) or set EDGELOOP_TOKEN");
        }
        ObjectNode body = json.createObjectNode().put("deviceId", deviceId);
        if (group != null) {
            body.put("group", group);
        }
        if (!tags.isEmpty()) {
            ObjectNode t = body.putObject("tags");
            tags.forEach(t::put);
        }
        HttpResponse<String> r = post("/api/v1/devices", body.toString());
        if (r.statusCode() == 409 && ErrorCode.DEVICE_ALREADY_EXISTS.name().equals(code(r))) {
            r = post("/api/v1/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8) + "/enrol-token", "{}");
        }
        JsonNode answer = answer(r, deviceId);
        String enrolToken = answer.path("enrolToken").asText("");
        if (enrolToken.isEmpty()) {
            throw new EdgeLoopException(ErrorCode.INTERNAL, "the server registered " + deviceId + " but answered no enrolToken: "
                    + r.body());
        }
        return enrolToken;
    }

    private HttpResponse<String> post(String path, String body) throws EdgeLoopException {
        URI uri = server.resolve(path);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cannot reach the fleet server at " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EdgeLoopException(ErrorCode.INTERNAL, "interrupted while calling " + uri, e);
        }
    }

    private JsonNode answer(HttpResponse<String> r, String deviceId) throws EdgeLoopException {
        if (r.statusCode() / 100 != 2) {
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(code(r));
            } catch (IllegalArgumentException e) {
                code = r.statusCode() == 401 ? ErrorCode.AUTHENTICATION_REQUIRED : ErrorCode.INVALID_ARGUMENT;
            }
            throw new EdgeLoopException(code, "registering " + deviceId + " was refused (" + r.statusCode() + "): " + r.body());
        }
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the server's answer is not JSON: " + r.body(), e);
        }
    }

    private String code(HttpResponse<String> r) {
        try {
            return json.readTree(r.body()).path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
