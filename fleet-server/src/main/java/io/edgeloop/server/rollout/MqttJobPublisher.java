package io.edgeloop.server.rollout;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.topic.Topics;
import io.edgeloop.server.broker.ServerMqttLogin;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's MQTT publisher (Paho v3, the server's broker login, a clean session of its own):
 * QoS 1, not retained, waiting for the broker's acknowledgement so the outbox entry is cleared
 * only for what the broker took. Reconnects on its own; while disconnected every publish answers
 * false and the engine retries on a later tick.
 */
public final class MqttJobPublisher implements JobPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttJobPublisher.class);
    private static final long PUBLISH_TIMEOUT_MS = 10_000;

    private final MqttAsyncClient client;
    private final MessageCodec codec = new MessageCodec();
    private volatile java.util.function.BiConsumer<String, byte[]> jobUpdates;

    public MqttJobPublisher(String brokerUrl, String clientId, ServerMqttLogin login) throws EdgeLoopException {
        try {
            client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            o.setCleanSession(true);
            o.setAutomaticReconnect(true);
            o.setMaxReconnectDelay(2_000);
            o.setKeepAliveInterval(20);
            o.setConnectionTimeout(10);
            o.setMaxInflight(1_000);
            o.setUserName(login.username());
            o.setPassword(login.passwordChars());
            client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallbackExtended() {
                @Override
                public void connectComplete(boolean reconnect, String serverUri) {
                    if (reconnect) {
                        subscribe();
                    }
                }

                @Override
                public void connectionLost(Throwable cause) {
                    LOG.warn("the rollout publisher lost the broker: {}", String.valueOf(cause));
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    var sink = jobUpdates;
                    if (sink != null) {
                        sink.accept(topic, message.getPayload());
                    }
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            client.connect(o).waitForCompletion(15_000);
        } catch (MqttException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the rollout engine cannot connect to the MQTT broker "
                    + brokerUrl + ": " + e, e);
        }
    }

    /**
     * Also hears every job update, through a plain (not shared) subscription: {@code sink} gets
     * each one's topic and payload on Paho's callback thread.
     */
    public void listen(java.util.function.BiConsumer<String, byte[]> sink) {
        this.jobUpdates = sink;
        subscribe();
    }

    private void subscribe() {
        if (jobUpdates == null) {
            return;
        }
        try {
            client.subscribe(io.edgeloop.protocol.topic.TopicFilters.ALL_JOB_UPDATES, 1);
        } catch (MqttException e) {
            LOG.warn("the rollout engine could not subscribe to job updates: {}", e.toString());
        }
    }

    @Override
    public boolean notify(JobDocument job) {
        return publish(Topics.jobNotify(job.deviceId()), job);
    }

    @Override
    public boolean command(Command command) {
        return publish(Topics.command(command.deviceId(), command.name().wireName()), command);
    }

    private boolean publish(String topic, Message message) {
        if (!client.isConnected()) {
            LOG.warn("the rollout publisher is not connected to the broker; {} waits", topic);
            return false;
        }
        try {
            MqttMessage m = new MqttMessage(codec.encode(message));
            m.setQos(1);
            m.setRetained(false);
            client.publish(topic, m).waitForCompletion(PUBLISH_TIMEOUT_MS);
            return true;
        } catch (MqttException e) {
            LOG.warn("could not publish on {} ({}); the engine retries", topic, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("rollout publisher disconnect: {}", e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("rollout publisher close: {}", e.toString());
        }
    }
}
