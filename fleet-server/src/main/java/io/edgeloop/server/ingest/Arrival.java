package io.edgeloop.server.ingest;

/**
 * One MQTT message as it arrived, not yet acknowledged: the writer acknowledges it (by id) only
 * after the batch that holds it is committed.
 */
public record Arrival(String topic, byte[] payload, int messageId, int qos, long receivedMillis) {
}
