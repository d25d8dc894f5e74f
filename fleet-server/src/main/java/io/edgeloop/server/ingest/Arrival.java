package io.edgeloop.server.ingest;

/**
 * One MQTT message as it arrived, not yet acknowledged: the writer acknowledges it (by id) only
 * after the batch that holds it is committed. {@code decoded} is what the MQTT callback thread
 * already made of it (so the writer thread spends its time on the database), or null.
 */
public record Arrival(String topic, byte[] payload, int messageId, int qos, long receivedMillis,
                      IngestDecoder.Outcome decoded) {
    public Arrival(String topic, byte[] payload, int messageId, int qos, long receivedMillis) {
        this(topic, payload, messageId, qos, receivedMillis, null);
    }

    Arrival withDecoded(IngestDecoder.Outcome outcome) {
        return new Arrival(topic, payload, messageId, qos, receivedMillis, outcome);
    }
}
