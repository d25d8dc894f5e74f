package io.edgeloop.protocol.message;

import java.time.Instant;

/**
 * The agent's retained presence on {@code status}. The agent registers an {@code online=false}
 * copy as its MQTT last will, so the broker publishes it when the connection drops.
 *
 * @param deviceId the device
 * @param ts creation time
 * @param seq per-device sequence number
 * @param online whether the agent is connected
 * @param reason why the status changed, e.g. {@code connection lost}; may be {@code null}
 */
public record StatusMessage(String deviceId, Instant ts, long seq, boolean online, String reason)
        implements Message {
    /** Schema id of this record. */
    public static final String SCHEMA = "edgeloop.status/1";

    public StatusMessage {
        FieldChecks.header(deviceId, ts, seq);
        FieldChecks.optionalText("reason", reason);
    }

    @Override
    public String schema() {
        return SCHEMA;
    }
}
