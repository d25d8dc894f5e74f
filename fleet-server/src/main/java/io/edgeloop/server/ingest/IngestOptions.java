package io.edgeloop.server.ingest;

import java.time.Duration;

/**
 * How the server consumes agent messages.
 *
 * @param brokerUrl {@code tcp://host:port}
 * @param clientId stable per replica, so the broker keeps its persistent session across restarts
 * @param sharedGroup the shared-subscription group replicas split messages in, or null to
 *     subscribe plainly (the embedded Moquette 0.17 has no {@code $share})
 * @param maxBatch most arrivals written in one transaction
 * @param linger how long a small batch waits for more arrivals before it is written
 * @param queueCapacity arrivals held between the MQTT callback and the writer; a full queue
 *     holds the callback (and so the broker's flow), never drops
 */
public record IngestOptions(String brokerUrl, String clientId, String sharedGroup, int maxBatch, Duration linger,
                            int queueCapacity) {
    public static final String DEFAULT_SHARED_GROUP = "edgeloop-ingest";
    public static final int DEFAULT_MAX_BATCH = 2000;
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(2);
    public static final int DEFAULT_QUEUE_CAPACITY = 20_000;

    public IngestOptions {
        if (brokerUrl == null || !(brokerUrl.startsWith("tcp://") || brokerUrl.startsWith("ssl://"))) {
            throw new IllegalArgumentException("the MQTT broker URL must be tcp://host:port or ssl://host:port, not "
                    + brokerUrl);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("the ingest client id is empty");
        }
        if (maxBatch < 1 || queueCapacity < maxBatch) {
            throw new IllegalArgumentException("need 1 <= maxBatch <= queueCapacity, got " + maxBatch + " and " + queueCapacity);
        }
    }

    /** Defaults for one replica. */
    public static IngestOptions of(String brokerUrl, String clientId, String sharedGroup) {
        return new IngestOptions(brokerUrl, clientId, sharedGroup, DEFAULT_MAX_BATCH, DEFAULT_LINGER, DEFAULT_QUEUE_CAPACITY);
    }
}
