package io.edgeloop.protocol.message;

import java.time.Instant;

/**
 * A message on the EdgeLoop wire. Every message carries the same header: its {@link #schema()}
 * id (name and major version, e.g. {@code edgeloop.health/1}), the {@link #deviceId()} it is
 * from or for, the time it was created, and a per-device, per-direction sequence number the
 * receiver uses to drop replays from the agent's outbox.
 */
public sealed interface Message
        permits BirthMessage, StatusMessage, JobDocument, JobExecutionUpdate, HealthReport, DriftReport, Command,
                CaptureBatch, LabelBatch {

    /** The schema id; each record's {@code SCHEMA} constant. */
    String schema();

    /** The device this message is from (agent to server) or for (server to agent). */
    String deviceId();

    /** When the sender created the message. */
    Instant ts();

    /** Sequence number, {@code >= 0}, increasing per device and direction. */
    long seq();
}
