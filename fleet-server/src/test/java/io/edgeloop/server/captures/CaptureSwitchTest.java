package io.edgeloop.server.captures;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.topic.Topics;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.fixtures.ApiClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/v1/devices/{id}/capture} and its group form through the embedded broker to
 * enrolled devices' own MQTT subscriptions (their per-device logins, the broker's ACL): each device
 * hears {@code cmd/capture} with the operator's arguments, the command is audited, bad input is a
 * 400 naming the field, an unknown device a 404.
 */
class CaptureSwitchTest {
    private final MessageCodec codec = new MessageCodec();

    @TempDir
    Path dir;

    @Test
    void theOperatorsCaptureCommandReachesTheDevicesOverMqtt() throws Exception {
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0),
                FleetServer.Plugins.defaults().withMqtt())) {
            ApiClient api = new ApiClient(server.httpPort());
            String admin = Files.readString(dir.resolve(AdminTokenFile.FILE_NAME)).strip();
            BlockingQueue<Command> cam1 = new LinkedBlockingQueue<>();
            BlockingQueue<Command> cam2 = new LinkedBlockingQueue<>();
            BlockingQueue<Command> cam3 = new LinkedBlockingQueue<>();
            MqttClient d1 = enrol(api, admin, "cam-1", "lobby", cam1);
            MqttClient d2 = enrol(api, admin, "cam-2", "lobby", cam2);
            MqttClient d3 = enrol(api, admin, "cam-3", "yard", cam3);
            try {
                ApiClient.Reply one = api.post("/api/v1/devices/cam-1/capture", admin,
                        Map.of("enabled", true, "sampleRate", 0.5));
                assertEquals(200, one.status(), one.body());
                assertEquals("cam-1", one.json().get("deviceId").asText());
                assertTrue(one.json().get("online").isBoolean(), one.body());
                Command c = cam1.poll(10, TimeUnit.SECONDS);
                assertNotNull(c, "cam-1 heard no cmd/capture");
                assertEquals(CommandName.CAPTURE, c.name());
                assertEquals(Map.of("enabled", "true", "sampleRate", "0.5"), c.args());

                ApiClient.Reply group = api.post("/api/v1/devices/capture?group=lobby", admin, Map.of("enabled", false));
                assertEquals(200, group.status(), group.body());
                assertEquals(2, group.json().get("devices").size(), group.body());
                assertEquals(Map.of("enabled", "false"), cam1.poll(10, TimeUnit.SECONDS).args());
                assertEquals(Map.of("enabled", "false"), cam2.poll(10, TimeUnit.SECONDS).args());
                assertNull(cam3.poll(300, TimeUnit.MILLISECONDS), "cam-3 is not in the group");

                ApiClient.Reply noEnabled = api.post("/api/v1/devices/cam-1/capture", admin, Map.of("sampleRate", 0.5));
                assertEquals(400, noEnabled.status(), noEnabled.body());
                assertEquals("INVALID_ARGUMENT", noEnabled.code());
                assertTrue(noEnabled.json().get("error").asText().contains("enabled"), noEnabled.body());
                ApiClient.Reply badRate = api.post("/api/v1/devices/cam-1/capture", admin,
                        Map.of("enabled", true, "sampleRate", 2));
                assertEquals(400, badRate.status(), badRate.body());
                assertTrue(badRate.json().get("error").asText().contains("sampleRate"), badRate.body());
                assertEquals("INVALID_ARGUMENT", api.post("/api/v1/devices/cam-1/capture", admin,
                        Map.of("enabled", "yes")).code());
                assertEquals("INVALID_ARGUMENT", api.post("/api/v1/devices/capture", admin, Map.of("enabled", true)).code());
                ApiClient.Reply unknown = api.post("/api/v1/devices/nope/capture", admin, Map.of("enabled", true));
                assertEquals(404, unknown.status(), unknown.body());
                assertEquals("DEVICE_NOT_FOUND", unknown.code());
                assertNull(cam1.poll(300, TimeUnit.MILLISECONDS), "refused commands are not sent");

                JsonNode audit = api.get("/api/v1/audit?target=device:cam-1", admin).json();
                long captures = 0;
                for (JsonNode e : audit.isArray() ? audit : audit.path("items")) {
                    captures += e.path("action").asText().equals("device.capture") ? 1 : 0;
                }
                assertEquals(2, captures, audit.toString());
            } finally {
                for (MqttClient d : List.of(d1, d2, d3)) {
                    d.disconnect();
                    d.close();
                }
            }
        }
    }

    private MqttClient enrol(ApiClient api, String admin, String deviceId, String group, BlockingQueue<Command> heard)
            throws Exception {
        String token = api.post("/api/v1/devices", admin, Map.of("deviceId", deviceId, "group", group)).json()
                .get("enrolToken").asText();
        JsonNode login = api.post("/api/v1/enrol", null, Map.of("deviceId", deviceId, "enrolToken", token)).json();
        MqttClient client = new MqttClient(login.get("mqttUrl").asText(), deviceId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setUserName(login.get("mqttUsername").asText());
        o.setPassword(login.get("mqttPassword").asText().toCharArray());
        client.connect(o);
        client.subscribe(Topics.command(deviceId, CommandName.CAPTURE.wireName()), 1,
                (topic, message) -> heard.add(codec.decode(message.getPayload(), Command.class)));
        return client;
    }
}
