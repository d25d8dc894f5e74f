package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.SampleLabel;
import io.edgeloop.protocol.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures through a real Mosquitto configured as the tests and README configure it (the
 * password and ACL files the server writes): an enrolled device's capture and label batches reach
 * the capture store, and a 1 MiB message passes the broker whole (Mosquitto's default has no size
 * limit) to be refused by the ingest with its code, the device still connected.
 */
class CaptureMosquittoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void capturesAndAnOversizedMessageThroughMosquitto() throws Exception {
        assumeTrue(MosquittoProcess.available(), "Mosquitto is not installed at " + MosquittoProcess.BINARY);
        try (MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"));
             FleetTelemetryIT.RealServer server = FleetTelemetryIT.RealServer.start(dir.resolve("server"), mosquitto)) {
            String admin = Files.readString(server.server.adminTokenFile()).strip();
            String token = server.enrolToken("mq-1");
            HttpResponse<String> enrolled = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/api/v1/enrol"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"deviceId\":\"mq-1\",\"enrolToken\":\"" + token + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, enrolled.statusCode(), enrolled.body());
            JsonNode login = JSON.readTree(enrolled.body());
            MqttClient device = connect(mosquitto.url(), login);
            MessageCodec codec = new MessageCodec();
            long now = Instant.now().toEpochMilli();
            List<CapturedSample> samples = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                float[] input = new float[784];
                Arrays.fill(input, i / 10f);
                samples.add(new CapturedSample("m" + i, "fashion", "1.0.0", now + i, i, 0.5f, new long[] {1, 784}, input,
                        null));
            }
            device.publish(Topics.captures("mq-1"), codec.encode(new CaptureBatch("mq-1", Instant.now(), 1, samples)), 1,
                    false);
            byte[] oneMiB = new byte[1 << 20];
            Arrays.fill(oneMiB, (byte) ' ');
            device.publish(Topics.captures("mq-1"), oneMiB, 1, false);
            device.publish(Topics.labels("mq-1"), codec.encode(new LabelBatch("mq-1", Instant.now(), 2,
                    List.of(new SampleLabel("m1", "fashion", 4, now, SampleLabel.FEEDBACK)))), 1, false);

            JsonNode stats = null;
            JsonNode ingest = null;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                stats = get(server, admin, "/api/v1/captures/stats");
                ingest = get(server, admin, "/api/v1/ingest");
                if (stats.path("totals").path("labelled").asLong() == 1
                        && ingest.path("rejectsByCode").path("MALFORMED_MESSAGE").asLong() == 1) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(3, stats.path("totals").path("captures").asLong(), stats.toString());
            assertEquals(1, stats.path("totals").path("labelled").asLong(), stats.toString());
            assertEquals(3 * 784 * 4, stats.path("totals").path("bytes").asLong());
            assertEquals(1, ingest.path("rejectsByCode").path("MALFORMED_MESSAGE").asLong(), ingest.toString());
            assertTrue(device.isConnected(), "the device keeps its connection: " + mosquitto.logTail());
            device.disconnect();
            device.close();
        }
    }

    /** Connects as the device; Mosquitto may still be reloading the files the enrolment rewrote. */
    private static MqttClient connect(String url, JsonNode login) throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setUserName(login.get("mqttUsername").asText());
        o.setPassword(login.get("mqttPassword").asText().toCharArray());
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            MqttClient client = new MqttClient(url, login.get("mqttUsername").asText(), new MemoryPersistence());
            try {
                client.connect(o);
                return client;
            } catch (MqttException e) {
                client.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static JsonNode get(FleetTelemetryIT.RealServer server, String admin, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + path))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
