package io.edgeloop.agent.link;

import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.agent.buffer.OutboxEntry;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.message.StatusMessage;
import io.edgeloop.protocol.topic.TopicFilters;
import io.edgeloop.protocol.topic.Topics;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's MQTT link to the fleet (Paho v3, MQTT 3.1.1): logs in with its enrolment
 * credentials (client id = device id), a persistent session (clean session false), and a retained
 * last will {@code status online:false}. On every connect it subscribes to its own job documents
 * and commands and to the ingest's presence, publishes its retained birth and
 * {@code status online:true}, and once it hears a live presence ({@link Topics#INGEST_PRESENCE}:
 * a server is subscribed) sends the telemetry outbox through an {@link OutboxPublisher}. Reconnects on its own with back-off; a
 * refused login (a revoked device) keeps retrying at the longest delay.
 *
 * <p>No static state: many links run in one JVM, each with Paho's few threads, sharing one
 * scheduler when given one.
 */
public final class FleetLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetLink.class);
    private static final String CONNECT_SEQ = "link.connect-seq";

    /** Builds the birth message of each connect. */
    @FunctionalInterface
    public interface BirthSource {
        BirthMessage birth(String deviceId, long seq);
    }

    private final FleetCredentials credentials;
    private final MessageCodec codec;
    private final BirthSource birth;
    private final FleetMessages handlers;
    private final LinkOptions options;
    private final OutboxPublisher publisher;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final MqttAsyncClient client;
    private final MqttConnectOptions connect;
    private final long connectSeq;
    private final AtomicBoolean pumpQueued = new AtomicBoolean();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private volatile boolean closed;
    /** Heard a live ingest presence on this connection: the server is subscribed, the outbox may go. */
    private volatile boolean ingestListening;
    private volatile long retryDelayMillis = 1000;
    private ScheduledFuture<?> pumping;

    /**
     * @param scheduler shared scheduler for outbox pumping and first-connect retries, or null for
     *     one of its own
     */
    public FleetLink(FleetCredentials credentials, TelemetryOutbox outbox, AgentState state, BirthSource birth,
                     FleetMessages handlers, LinkOptions options, ScheduledExecutorService scheduler, MessageCodec codec)
            throws EdgeLoopException {
        this.credentials = credentials;
        this.codec = codec;
        this.birth = birth;
        this.handlers = handlers;
        this.options = options;
        this.publisher = new OutboxPublisher(outbox, credentials.deviceId(), options.maxInFlight());
        this.ownScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-link-" + credentials.deviceId());
            t.setDaemon(true);
            return t;
        });
        this.connectSeq = state.getLong(CONNECT_SEQ, 0) + 1;
        state.putLong(CONNECT_SEQ, connectSeq);
        try {
            this.client = new MqttAsyncClient(credentials.mqttUrl(), credentials.deviceId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "bad MQTT broker URL " + credentials.mqttUrl() + ": " + e, e);
        }
        this.connect = connectOptions();
        client.setCallback(new Callback());
    }

    private MqttConnectOptions connectOptions() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay((int) options.maxReconnectDelay().toMillis());
        o.setKeepAliveInterval((int) options.keepAlive().toSeconds());
        o.setConnectionTimeout(10);
        // Birth and status go beside the outbox window.
        o.setMaxInflight(options.maxInFlight() + 8);
        o.setUserName(credentials.mqttUsername());
        o.setPassword(credentials.mqttPassword().toCharArray());
        StatusMessage will = new StatusMessage(credentials.deviceId(), Instant.now(), connectSeq, false, "connection lost");
        o.setWill(Topics.status(credentials.deviceId()), codec.encode(will), 1, true);
        return o;
    }

    /** Connects in the background (retrying until the first connect succeeds) and starts sending the outbox. */
    public synchronized void start() {
        long ms = options.pumpInterval().toMillis();
        pumping = scheduler.scheduleWithFixedDelay(this::pump, ms, ms, TimeUnit.MILLISECONDS);
        scheduler.execute(this::firstConnect);
    }

    private void firstConnect() {
        if (closed || client.isConnected()) {
            return;
        }
        try {
            client.connect(connect, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    retryDelayMillis = 1000;
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retryFirstConnect(e);
                }
            });
        } catch (MqttException e) {
            retryFirstConnect(e);
        }
    }

    private void retryFirstConnect(Throwable e) {
        if (closed) {
            return;
        }
        boolean refused = e instanceof MqttException me && (me.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || me.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED);
        long delay = refused ? options.maxReconnectDelay().toMillis() : retryDelayMillis;
        retryDelayMillis = Math.min(options.maxReconnectDelay().toMillis(), retryDelayMillis * 2);
        LOG.warn("{}: {} cannot connect to {} ({}), retrying in {} ms", refused ? "ACCESS_DENIED" : "UNREACHABLE",
                credentials.deviceId(), credentials.mqttUrl(), e.getMessage(), delay);
        try {
            scheduler.schedule(this::firstConnect, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // closing
        }
    }

    private void onConnected(boolean reconnect) {
        connects.incrementAndGet();
        ingestListening = false;
        String id = credentials.deviceId();
        LOG.info("{} {} to {}", id, reconnect ? "reconnected" : "connected", credentials.mqttUrl());
        try {
            var filters = TopicFilters.agent(id);
            client.subscribe(filters.toArray(String[]::new), new int[] {1, 1});
            // Before the birth: the ingest answers a birth with its presence.
            client.subscribe(Topics.INGEST_PRESENCE, 0);
            publishRetained(Topics.birth(id), birth.birth(id, connectSeq));
            publishRetained(Topics.status(id), new StatusMessage(id, Instant.now(), connectSeq, true, null));
        } catch (MqttException | RuntimeException e) {
            LOG.warn("{} could not announce itself after connecting: {}", id, e.toString());
        }
        schedulePump();
    }

    private void publishRetained(String topic, Message message) throws MqttException {
        client.publish(topic, codec.encode(message), 1, true);
    }

    private void schedulePump() {
        if (pumpQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::pump);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pumpQueued.set(false);
            }
        }
    }

    private void pump() {
        pumpQueued.set(false);
        if (closed || !client.isConnected() || !ingestListening) {
            return;
        }
        try {
            publisher.pump(this::send);
        } catch (RuntimeException e) {
            LOG.warn("{}: outbox send failed: {}", credentials.deviceId(), e.toString());
        }
    }

    private boolean send(String topic, byte[] payload, OutboxEntry entry) {
        if (!client.isConnected()) {
            return false;
        }
        try {
            client.publish(topic, payload, 1, false, entry, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    publisher.acknowledged(entry);
                    acknowledged.incrementAndGet();
                    schedulePump();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.debug("{}: {} seq {} not delivered: {}", credentials.deviceId(), entry.stream(), entry.seq(), e.toString());
                    publisher.failed(entry);
                }
            });
            return true;
        } catch (MqttException e) {
            // Not connected or the window is full: the next pump tries again.
            return false;
        }
    }

    /**
     * Outbox messages unacknowledged when the connection dropped go back to the outbox instead of
     * being resent by the MQTT session on reconnect: that resend would come before the ingest is
     * heard again, into a broker that may have lost the server's subscription. Sent again from the
     * outbox, a copy that did reach the server is dropped there by its seq.
     */
    private void takeBackInFlight() {
        for (IMqttDeliveryToken token : client.getPendingDeliveryTokens()) {
            if (token.getUserContext() instanceof OutboxEntry entry) {
                try {
                    if (client.removeMessage(token)) {
                        publisher.failed(entry);
                    }
                } catch (MqttException e) {
                    LOG.debug("{}: {} seq {} stays with the MQTT session: {}", credentials.deviceId(), entry.stream(),
                            entry.seq(), e.toString());
                }
            }
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            onConnected(reconnect);
        }

        @Override
        public void connectionLost(Throwable cause) {
            ingestListening = false;
            LOG.warn("{} lost its MQTT connection ({}); reconnecting", credentials.deviceId(), String.valueOf(cause));
            takeBackInFlight();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (Topics.INGEST_PRESENCE.equals(topic)) {
                // A retained copy may be from before a broker restart, when subscriptions were different.
                if (!message.isRetained() && !ingestListening) {
                    ingestListening = true;
                    schedulePump();
                }
                return;
            }
            try {
                Message m = codec.decodeForTopic(topic, message.getPayload());
                if (m instanceof JobDocument job) {
                    handlers.job(job);
                } else if (m instanceof Command command) {
                    handlers.command(command);
                } else {
                    LOG.warn("MALFORMED_MESSAGE: {} is not for an agent ({})", m.schema(), topic);
                }
            } catch (EdgeLoopException e) {
                LOG.warn("{}: dropped a message on {}: {}", e.code(), topic, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("handling a message on {} failed: {}", topic, e.toString());
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // outbox acknowledgements arrive through each publish's listener
        }
    }

    public String deviceId() {
        return credentials.deviceId();
    }

    public boolean connected() {
        return client.isConnected();
    }

    /** Outbox messages the broker acknowledged since start. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Successful connects since start (the first and every reconnect). */
    public long connects() {
        return connects.get();
    }

    /** Outbox messages published and not yet acknowledged. */
    public int inFlight() {
        return publisher.inFlight();
    }

    /** Publishes {@code status online:false} ("stopped"), disconnects, and stops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pumping != null) {
            pumping.cancel(false);
        }
        try {
            if (client.isConnected()) {
                String id = credentials.deviceId();
                client.publish(Topics.status(id), codec.encode(new StatusMessage(id, Instant.now(), connectSeq, false,
                        "stopped")), 1, true).waitForCompletion(2_000);
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("{} disconnect: {}", credentials.deviceId(), e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("{} close: {}", credentials.deviceId(), e.toString());
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }
}
