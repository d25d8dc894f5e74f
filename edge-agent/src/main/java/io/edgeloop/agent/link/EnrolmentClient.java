package io.edgeloop.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The agent's side of enrolment: {@code POST {server}/api/v1/enrol} with the device id and the
 * one-time token (no bearer token: the enrolment token is the credential), answered with the
 * device's MQTT login and the publisher keys the server trusts.
 */
public final class EnrolmentClient {
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public EnrolmentClient(HttpClient http) {
        this.http = http;
    }

    public EnrolmentClient() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /**
     * Exchanges {@code enrolToken} for credentials.
     *
     * @throws EdgeLoopException with the server's code when it refuses, or INVALID_ARGUMENT when it
     *     cannot be reached or answers something else
     */
    public FleetCredentials enrol(URI server, String deviceId, String enrolToken, String profileId)
            throws EdgeLoopException {
        ObjectNode body = json.createObjectNode().put("deviceId", deviceId).put("enrolToken", enrolToken);
        if (profileId != null && !profileId.isBlank()) {
            body.put("profile", profileId);
        }
        URI uri = server.resolve("/api/v1/enrol");
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cannot reach the fleet server at " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EdgeLoopException(ErrorCode.INTERNAL, "interrupted while enrolling at " + uri, e);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the fleet server at " + uri + " answered "
                    + response.statusCode() + " with a body that is not JSON", e);
        }
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new EdgeLoopException(code(answer), "enrolment of " + deviceId + " was refused (" + response.statusCode()
                    + "): " + answer.path("error").asText(response.body()));
        }
        try {
            java.util.List<String> keys = new java.util.ArrayList<>();
            answer.path("publisherKeys").forEach(k -> keys.add(k.asText()));
            return new FleetCredentials(answer.path("deviceId").asText(null), answer.path("mqttUrl").asText(null),
                    answer.path("mqttUsername").asText(null), answer.path("mqttPassword").asText(null), keys);
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the enrolment answer from " + uri + " lacks a field: "
                    + e.getMessage(), e);
        }
    }

    private static ErrorCode code(JsonNode answer) {
        try {
            return ErrorCode.valueOf(answer.path("code").asText("INVALID_ARGUMENT"));
        } catch (IllegalArgumentException e) {
            return ErrorCode.INVALID_ARGUMENT;
        }
    }
}
