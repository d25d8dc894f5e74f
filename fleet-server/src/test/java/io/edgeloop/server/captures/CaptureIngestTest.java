package io.edgeloop.server.captures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.topic.Topics;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.fixtures.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures and labels from an enrolled device's real MQTT publishes through the embedded broker
 * into the store: stored once across redeliveries, replays and repeated request ids, labels joined
 * whichever came first, malformed and oversized messages refused with their code while the
 * device's connection stays up; then the REST routes over what was stored.
 */
class CaptureIngestTest {
    private final MessageCodec codec = new MessageCodec();

    @TempDir
    Path dir;

    @Test
    void anEnrolledDevicesCapturesAndLabelsAreStoredOnceAndServedOverRest() throws Exception {
        FleetServerOptions options = FleetServerOptions.embedded(dir, 0, 0)
                .withCaptureRetention(new CaptureRetention(Duration.ofDays(30), 0, 0));
        try (FleetServer server = FleetServer.start(options, FleetServer.Plugins.defaults().withMqtt())) {
            ApiClient api = new ApiClient(server.httpPort());
            String admin = Files.readString(dir.resolve(AdminTokenFile.FILE_NAME)).strip();
            MqttClient device = enrol(api, admin, "cam-1");
            Instant t = Instant.now().minusSeconds(60);

            CapturedSample labelledEarly = new CapturedSample("r1", Captures.MODEL, "1.0.0", t.toEpochMilli(), 2, 0.9f,
                    new long[] {1, 4}, Captures.input("r1"), 6);
            CaptureBatch first = new CaptureBatch("cam-1", t, 1, List.of(labelledEarly,
                    Captures.batch("cam-1", 1, t.plusMillis(1), "r2", "r3").samples().get(0),
                    Captures.batch("cam-1", 1, t.plusMillis(2), "r3").samples().get(0)));
            publish(device, Topics.captures("cam-1"), first);
            publish(device, Topics.captures("cam-1"), first); // an outbox replay: same seq
            // r9's label before its capture; r2's after.
            publish(device, Topics.labels("cam-1"), Captures.labels("cam-1", 2, Map.of("r2", 1, "r9", 8), t.toEpochMilli() + 10));
            publish(device, Topics.captures("cam-1"), Captures.batch("cam-1", 3, t.plusSeconds(1), "r9", "r1"));
            // Refused, each logged and counted with its code; the connection survives all three.
            device.publish(Topics.captures("cam-1"), "{not json".getBytes(StandardCharsets.UTF_8), 1, false);
            publish(device, Topics.captures("cam-1"), Captures.batch("cam-1", 4, t, "x".repeat(200)));
            byte[] oneMiB = new byte[1 << 20];
            Arrays.fill(oneMiB, (byte) ' ');
            device.publish(Topics.captures("cam-1"), oneMiB, 1, false);
            publish(device, Topics.captures("cam-1"), Captures.batch("cam-1", 5, t.plusSeconds(2), "r5"));

            JsonNode stats = await(api, admin, "/api/v1/captures/stats?model=fashion",
                    s -> s.path("totals").path("captures").asLong() == 5);
            assertEquals(3, stats.path("totals").path("labelled").asLong(), stats.toString());
            assertEquals(0, stats.path("totals").path("pendingLabels").asLong());
            assertEquals(5 * 16, stats.path("totals").path("bytes").asLong());
            JsonNode metrics = stats.path("metrics");
            assertEquals(5, metrics.path("capturesStored").asLong(), metrics.toString());
            assertEquals(1, metrics.path("captureDuplicates").asLong(), "r1 sent again under a new seq");
            assertEquals(1, metrics.path("messagesReplayed").asLong());
            JsonNode ingest = await(api, admin, "/api/v1/ingest",
                    i -> i.path("rejectsByCode").path("MALFORMED_MESSAGE").asLong() == 3);
            assertEquals(3, ingest.path("rejectsByCode").path("MALFORMED_MESSAGE").asLong(), ingest.toString());
            assertTrue(device.isConnected());

            JsonNode list = api.get("/api/v1/captures?device=cam-1&model=fashion", admin).json();
            assertEquals(5, list.path("count").asInt());
            JsonNode r1 = list.path("items").get(0);
            assertEquals("r1", r1.path("requestId").asText());
            assertEquals(6, r1.path("label").asInt());
            assertEquals("feedback", r1.path("labelSource").asText());
            assertEquals("[1,4]", r1.path("shape").toString());
            assertTrue(r1.path("input").isMissingNode(), "metadata only");
            assertEquals(8, find(list, "r9").path("label").asInt());
            assertTrue(find(list, "r3").path("label").isNull());
            assertEquals(1, api.get("/api/v1/captures?since=" + t.plusSeconds(2) + "&limit=5", admin).json()
                    .path("count").asInt());
            device.disconnect();
            device.close();
        }
    }

    @Test
    void annotatorLabelsNeedAnOperatorAndWellFormedInput() throws Exception {
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0), FleetServer.Plugins.defaults())) {
            ApiClient api = new ApiClient(server.httpPort());
            String admin = Files.readString(dir.resolve(AdminTokenFile.FILE_NAME)).strip();
            String viewer = api.post("/api/v1/tokens", admin, Map.of("name", "wall", "role", "viewer")).json()
                    .get("token").asText();
            Map<String, Object> body = Map.of("labels", List.of(
                    Map.of("deviceId", "cam-1", "requestId", "r1", "model", "fashion", "label", 3)));
            assertEquals(403, api.post("/api/v1/captures/labels", viewer, body).status());
            ApiClient.Reply ok = api.post("/api/v1/captures/labels", admin, body);
            assertEquals(200, ok.status(), ok.body());
            assertEquals(0, ok.json().path("matched").asInt());
            assertEquals(1, ok.json().path("pending").asInt());
            assertEquals(1, api.get("/api/v1/captures/stats", viewer).json().path("totals").path("pendingLabels").asInt());
            assertEquals("captures.label", api.get("/api/v1/audit?target=captures:fashion", admin).json().get(0)
                    .path("action").asText());

            for (Object bad : List.of(Map.of(), Map.of("labels", List.of()),
                    Map.of("labels", List.of(Map.of("deviceId", "cam-1", "requestId", "r1", "model", "fashion"))),
                    Map.of("labels", List.of(Map.of("deviceId", "cam-1", "requestId", "r1", "model", "fashion", "label", -1))),
                    Map.of("labels", List.of(Map.of("deviceId", "", "requestId", "r1", "model", "fashion", "label", 1))))) {
                ApiClient.Reply refused = api.post("/api/v1/captures/labels", admin, bad);
                assertEquals(400, refused.status(), bad + " -> " + refused.body());
                assertEquals("INVALID_ARGUMENT", refused.code());
                assertTrue(refused.json().path("error").asText().length() > 10, refused.body());
            }
            assertEquals("INVALID_ARGUMENT", api.get("/api/v1/captures?limit=0", admin).code());
            assertEquals("INVALID_ARGUMENT", api.get("/api/v1/captures?since=yesterday", admin).code());
        }
    }

    private MqttClient enrol(ApiClient api, String admin, String deviceId) throws Exception {
        String token = api.post("/api/v1/devices", admin, Map.of("deviceId", deviceId)).json().get("enrolToken").asText();
        JsonNode login = api.post("/api/v1/enrol", null, Map.of("deviceId", deviceId, "enrolToken", token)).json();
        MqttClient client = new MqttClient(login.get("mqttUrl").asText(), deviceId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setUserName(login.get("mqttUsername").asText());
        o.setPassword(login.get("mqttPassword").asText().toCharArray());
        client.connect(o);
        return client;
    }

    private void publish(MqttClient client, String topic, Message m) throws Exception {
        client.publish(topic, codec.encode(m), 1, false);
    }

    private static JsonNode find(JsonNode list, String requestId) {
        for (JsonNode item : list.path("items")) {
            if (item.path("requestId").asText().equals(requestId)) {
                return item;
            }
        }
        throw new AssertionError(requestId + " not in " + list);
    }

    private static JsonNode await(ApiClient api, String token, String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = api.get(path, token).json();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not reached in 30 s: " + path + " -> " + last);
    }
}
