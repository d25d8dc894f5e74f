package io.edgeloop.agent.link;

import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.topic.TopicFilters;
import io.edgeloop.protocol.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * What a fleet server's ingest does on the wire, and no more: subscribes to every device's
 * telemetry, decodes each message for its topic, announces its presence (agents send their
 * outbox only once they hear it) and sends commands.
 */
final class TestIngest implements AutoCloseable {
    /** One decoded arrival. */
    record Arrival(String topic, Message message) {
    }

    private final MessageCodec codec = new MessageCodec();
    private final MqttClient client;
    private final List<Arrival> arrivals = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final ScheduledExecutorService presence = Executors.newSingleThreadScheduledExecutor();

    TestIngest(String brokerUrl) throws Exception {
        client = new MqttClient(brokerUrl, "edgeloop-ingest-test", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(1000);
        client.connect(options);
        client.subscribe(TopicFilters.ALL_TELEMETRY, 1, (topic, message) -> {
            try {
                Message decoded = codec.decodeForTopic(topic, message.getPayload());
                synchronized (arrivals) {
                    arrivals.add(new Arrival(topic, decoded));
                }
            } catch (Exception e) {
                synchronized (arrivals) {
                    refused.add(topic + ": " + e.getMessage());
                }
            }
        });
        byte[] hello = "{\"schema\":\"edgeloop.ingest/1\",\"replica\":\"test\"}".getBytes(StandardCharsets.UTF_8);
        presence.scheduleWithFixedDelay(() -> {
            try {
                client.publish(Topics.INGEST_PRESENCE, hello, 0, false);
            } catch (Exception e) {
                // closing
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** Every message of {@code type} received so far, in arrival order (replays included). */
    <T extends Message> List<T> received(Class<T> type) {
        synchronized (arrivals) {
            return arrivals.stream().map(Arrival::message).filter(type::isInstance).map(type::cast).toList();
        }
    }

    List<String> refused() {
        synchronized (arrivals) {
            return List.copyOf(refused);
        }
    }

    void send(Command command) throws Exception {
        client.publish(Topics.command(command.deviceId(), command.name().wireName()), codec.encode(command), 1, false);
    }

    @Override
    public void close() throws org.eclipse.paho.client.mqttv3.MqttException {
        presence.shutdownNow();
        client.disconnect();
        client.close();
    }
}
