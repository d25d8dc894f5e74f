package io.edgeloop.server.ingest;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.topic.TopicFilters;
import io.edgeloop.server.broker.ServerMqttLogin;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's MQTT consumer (Paho v3): a persistent session (clean session false, a stable
 * client id per replica) subscribed at QoS 1 to everything agents publish, through shared
 * subscriptions when a group is configured. Acknowledgements are manual: the callback only hands
 * the message to the {@link IngestWriter}, which acknowledges after the commit. Reconnects on its
 * own, and subscribes again on every connect.
 */
final class MqttIngestClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttIngestClient.class);

    private final MqttAsyncClient client;
    private final List<String> filters;
    private final MqttConnectOptions connect = new MqttConnectOptions();
    private final String url;

    interface Sink {
        void accept(Arrival arrival) throws InterruptedException;
    }

    MqttIngestClient(IngestOptions options, ServerMqttLogin login, Sink sink) throws EdgeLoopException {
        this.filters = options.sharedGroup() == null ? TopicFilters.SERVER : TopicFilters.sharedServer(options.sharedGroup());
        try {
            client = new MqttAsyncClient(options.brokerUrl(), options.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "bad MQTT broker URL " + options.brokerUrl() + ": " + e, e);
        }
        client.setManualAcks(true);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                LOG.info("ingest {} to {} as {}; subscribing to {}", reconnect ? "reconnected" : "connected", serverUri,
                        options.clientId(), filters);
                subscribe();
            }

            @Override
            public void connectionLost(Throwable cause) {
                LOG.warn("ingest lost its MQTT connection: {}", String.valueOf(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                sink.accept(new Arrival(topic, message.getPayload(), message.getId(), message.getQos(),
                        System.currentTimeMillis()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // the ingest client publishes nothing
            }
        });
        this.url = options.brokerUrl();
        connect.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        connect.setCleanSession(false);
        connect.setAutomaticReconnect(true);
        connect.setMaxReconnectDelay(2_000);
        connect.setKeepAliveInterval(20);
        connect.setConnectionTimeout(10);
        connect.setUserName(login.username());
        connect.setPassword(login.passwordChars());
    }

    /** Connects (retrying for up to 30 s while the broker is unreachable); subscribing follows on connect. */
    void start() throws EdgeLoopException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                client.connect(connect).waitForCompletion(15_000);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                        || e.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED || System.nanoTime() > deadline) {
                    throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the server cannot connect to the MQTT broker "
                            + url + ": " + e, e);
                }
                LOG.info("MQTT broker {} not reachable yet ({}), retrying", url, e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new EdgeLoopException(ErrorCode.INTERNAL, "interrupted while connecting to " + url, ie);
                }
            }
        }
    }

    private void subscribe() {
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(filters.toArray(String[]::new), qos);
        } catch (MqttException e) {
            LOG.error("ingest could not subscribe to {}: {}", filters, e.toString());
        }
    }

    /** Acknowledges one message; a message whose connection is gone is redelivered by the broker instead. */
    void ack(Arrival arrival) {
        if (arrival.qos() == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(arrival.messageId(), arrival.qos());
        } catch (MqttException e) {
            LOG.debug("ack of message {} not sent: {}", arrival.messageId(), e.toString());
        }
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("ingest disconnect: {}", e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("ingest close: {}", e.toString());
        }
    }
}
