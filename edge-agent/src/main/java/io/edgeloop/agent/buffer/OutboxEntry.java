package io.edgeloop.agent.buffer;

/** One telemetry message waiting in the outbox for the broker's acknowledgement. */
public record OutboxEntry(String stream, long seq, byte[] payload) {
}
