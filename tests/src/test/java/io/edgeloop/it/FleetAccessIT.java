package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.InferenceStats;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.ResourceUsage;
import io.edgeloop.protocol.topic.Topics;
import io.edgeloop.server.broker.ServerMqttLogin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker's access rules with real device credentials, on both brokers: device A cannot
 * publish as device B (nothing stored) and cannot read B's jobs, and a revoked device is cut off
 * and cannot connect again.
 */
class FleetAccessIT {
    @TempDir
    Path dir;
    private final MessageCodec codec = new MessageCodec();

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "mosquitto"})
    void aDeviceSpeaksOnlyForItselfReadsOnlyItsOwnJobsAndIsCutOffWhenRevoked(String broker) throws Exception {
        assumeTrue(broker.equals("embedded") || MosquittoProcess.available(), "Mosquitto is not installed");
        try (MosquittoProcess mosquitto = broker.equals("mosquitto") ? new MosquittoProcess(dir.resolve("mosquitto")) : null;
             TestFleetServer server = TestFleetServer.start(dir.resolve("server"), mosquitto)) {
            FleetCredentials a = server.accounts.issue("dev-a", server.mqtt.url());
            FleetCredentials b = server.accounts.issue("dev-b", server.mqtt.url());
            server.mqtt.credentialsChanged("dev-a", false);
            server.mqtt.credentialsChanged("dev-b", false);
            Thread.sleep(500); // Mosquitto reloads its files on SIGHUP

            List<String> receivedByA = new CopyOnWriteArrayList<>();
            List<String> receivedByB = new CopyOnWriteArrayList<>();
            MqttClient clientA = connect(server.mqtt.url(), a, a.deviceId());
            MqttClient clientB = connect(server.mqtt.url(), b, b.deviceId());
            subscribeQuietly(clientA, Topics.jobNotify("dev-b"), receivedByA);
            subscribeQuietly(clientA, "edgeloop/v1/devices/+/jobs/notify", receivedByA);
            subscribeQuietly(clientA, "edgeloop/v1/devices/#", receivedByA);
            clientB.subscribe(Topics.jobNotify("dev-b"), 1, (t, m) -> receivedByB.add(t));

            // A publishes B's health on B's topic and A's own on its own: only A's is stored.
            publishQuietly(clientA, Topics.health("dev-b"), codec.encode(health("dev-b", 1)));
            clientA.publish(Topics.health("dev-a"), codec.encode(health("dev-a", 1)), 1, false);
            // The server sends B a job: B gets it, A does not.
            MqttClient serverClient = connectServer(server);
            serverClient.publish(Topics.jobNotify("dev-b"), codec.encode(job("dev-b")), 1, false);
            serverClient.disconnect();
            serverClient.close();
            FleetTelemetryIT.waitFor(20, () -> FleetTelemetryIT.reported(server, "dev-a", "health") && !receivedByB.isEmpty(),
                    () -> "A's own health stored and B's job delivered");
            Thread.sleep(1000);
            assertFalse(FleetTelemetryIT.reported(server, "dev-b", "health"), "A's message as B was stored");
            assertEquals(List.of(), receivedByA, "A read another device's topics");
            assertEquals(List.of(Topics.jobNotify("dev-b")), receivedByB);

            // Spoofing B's client id with A's login gets A nothing more.
            if (broker.equals("embedded")) {
                assertThrows(MqttException.class, () -> connect(server.mqtt.url(), a, "dev-b"), "client id must be the device id");
            }

            // Revoked: cut off now, refused from now on.
            server.revoke("dev-b");
            FleetTelemetryIT.waitFor(20, () -> !clientB.isConnected(), () -> "dev-b still connected after revocation");
            MqttException refused = assertThrows(MqttException.class, () -> connect(server.mqtt.url(), b, b.deviceId()));
            assertTrue(refused.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                    || refused.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED, refused.toString());
            assertTrue(clientA.isConnected(), "revoking B cut off A");
            System.out.printf("%s: A as B stored nothing, A read nothing of B's, revoked B cut off and refused (%s)%n",
                    broker, refused.getMessage());
            clientA.disconnect();
            clientA.close();
            clientB.close();
        }
    }

    private static MqttClient connect(String url, FleetCredentials c, String clientId) throws MqttException {
        MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setUserName(c.mqttUsername());
        o.setPassword(c.mqttPassword().toCharArray());
        o.setConnectionTimeout(10);
        try {
            client.connect(o);
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        return client;
    }

    private static MqttClient connectServer(TestFleetServer server) throws Exception {
        ServerMqttLogin login = ServerMqttLogin.loadOrCreate(server.passwordFile());
        MqttClient client = new MqttClient(server.mqtt.url(), "access-it-server", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setUserName(login.username());
        o.setPassword(login.passwordChars());
        client.connect(o);
        return client;
    }

    /** Subscribes; a broker may refuse the subscription or the connection, which is also a pass. */
    private static void subscribeQuietly(MqttClient client, String filter, List<String> into) {
        try {
            client.subscribe(filter, 1, (t, m) -> into.add(t));
        } catch (MqttException e) {
            System.out.println("subscription to " + filter + " refused: " + e.getMessage());
        }
    }

    private static void publishQuietly(MqttClient client, String topic, byte[] payload) {
        try {
            client.publish(topic, payload, 1, false);
        } catch (MqttException e) {
            System.out.println("publish on " + topic + " refused: " + e.getMessage());
        }
    }

    private static HealthReport health(String device, long seq) {
        return new HealthReport(device, Instant.now(), seq, new InferenceStats(1, 2, 3, 4, 5, 0),
                new ResourceUsage(1, 1, 1, 1), List.of(), null);
    }

    private static JobDocument job(String device) {
        return new JobDocument(device, Instant.now(), 1, "job-1", "rollout-1", "fashion", "1.0.0",
                "http://127.0.0.1/download", "0".repeat(64), 10, Instant.now().plusSeconds(600), false, false);
    }
}
