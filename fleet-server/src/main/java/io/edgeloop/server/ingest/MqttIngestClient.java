package io.edgeloop.server.ingest;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.topic.TopicFilters;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.protocol.topic.Topics;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
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
 * own, subscribes again on every connect, and once subscribed publishes its presence
 * ({@link Topics#INGEST_PRESENCE}), which agents wait for before they send their outbox.
 */
final class MqttIngestClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttIngestClient.class);

    private final MqttAsyncClient client;
    private final List<String> filters;
    private final MqttConnectOptions connect = new MqttConnectOptions();
    private final String url;
    private final byte[] presence;
    private final ScheduledExecutorService presenceTimer;
    private final AtomicLong lastPresenceNanos = new AtomicLong(System.nanoTime() - PRESENCE_MIN_GAP_NANOS);
    private final java.util.concurrent.atomic.AtomicBoolean presencePending = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean subscribed;

    /** The periodic presence, for agents that connected and published their birth while none reached a replica. */
    static final long PRESENCE_INTERVAL_SECONDS = 30;
    /** Births in a burst (every agent reconnecting after a broker restart) answered at most this often. */
    static final long PRESENCE_MIN_GAP_NANOS = 500_000_000L;

    interface Sink {
        void accept(Arrival arrival) throws InterruptedException;
    }

    MqttIngestClient(IngestOptions options, ServerMqttLogin login, Sink sink) throws EdgeLoopException {
        this.presence = ("{\"schema\":\"edgeloop.ingest/1\",\"replica\":\"" + options.clientId() + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
                subscribed = false;
                LOG.warn("ingest lost its MQTT connection: {}", String.valueOf(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                if (!message.isRetained() && topic.endsWith("/birth")) {
                    // A device just (re)connected: it waits to hear that an ingest is subscribed.
                    announce(false);
                }
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
        this.presenceTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-presence-" + options.clientId());
            t.setDaemon(true);
            return t;
        });
        presenceTimer.scheduleWithFixedDelay(() -> announce(true), PRESENCE_INTERVAL_SECONDS, PRESENCE_INTERVAL_SECONDS,
                TimeUnit.SECONDS);
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

    /**
     * Subscribes (the broker may have forgotten a shared subscription: Mosquitto 2.0 does not
     * restore one after its own restart), and once granted says so on {@link Topics#INGEST_PRESENCE}.
     */
    private void subscribe() {
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(filters.toArray(String[]::new), qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    if (granted != null && java.util.Arrays.stream(granted).anyMatch(q -> q == 0x80)) {
                        LOG.error("ACCESS_DENIED: the broker refused the ingest's subscription to {} (granted {});"
                                + " agents hold their telemetry", filters, java.util.Arrays.toString(granted));
                        return;
                    }
                    subscribed = true;
                    announce(true);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.error("ingest could not subscribe to {}: {}", filters, String.valueOf(e));
                }
            });
        } catch (MqttException e) {
            LOG.error("ingest could not subscribe to {}: {}", filters, e.toString());
        }
    }

    /**
     * Publishes the presence when subscribed. Unforced (a birth), at most once per
     * {@link #PRESENCE_MIN_GAP_NANOS}: a birth inside the gap gets the one presence that follows it.
     */
    private void announce(boolean force) {
        if (!subscribed || !client.isConnected()) {
            return;
        }
        long now = System.nanoTime();
        long wait = lastPresenceNanos.get() + PRESENCE_MIN_GAP_NANOS - now;
        if (!force && wait > 0) {
            if (presencePending.compareAndSet(false, true)) {
                try {
                    presenceTimer.schedule(() -> announce(true), wait, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    presencePending.set(false);
                }
            }
            return;
        }
        presencePending.set(false);
        lastPresenceNanos.set(now);
        try {
            client.publish(Topics.INGEST_PRESENCE, presence, 0, false);
        } catch (MqttException e) {
            LOG.debug("ingest presence not sent: {}", e.toString());
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
        presenceTimer.shutdownNow();
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
