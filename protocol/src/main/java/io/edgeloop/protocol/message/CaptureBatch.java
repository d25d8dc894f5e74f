package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;
import java.time.Instant;
import java.util.List;

/**
 * Captured inferences an agent uploads on {@code telemetry/captures}, through its durable outbox
 * (so a batch may arrive twice; its {@code seq} de-duplicates it, and a sample's
 * {@code requestId} and {@code model} identify it). An agent keeps each encoded batch under the
 * codec's 256 KiB limit.
 *
 * @param deviceId the capturing device
 * @param ts creation time
 * @param seq per-device sequence number
 * @param samples the captured samples, at least one
 */
public record CaptureBatch(String deviceId, Instant ts, long seq, List<CapturedSample> samples) implements Message {
    /** Schema id of this record. */
    public static final String SCHEMA = "edgeloop.captures/1";

    public CaptureBatch {
        FieldChecks.header(deviceId, ts, seq);
        samples = FieldChecks.list("samples", samples);
        if (samples.isEmpty()) {
            throw new InvalidFieldException("samples", "is empty; a batch carries at least one sample");
        }
    }

    @Override
    public String schema() {
        return SCHEMA;
    }
}
