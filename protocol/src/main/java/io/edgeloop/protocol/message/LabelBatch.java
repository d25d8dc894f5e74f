package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;
import java.time.Instant;
import java.util.List;

/**
 * Labels for captured inferences, which an agent sends on {@code telemetry/labels} as feedback
 * arrives, through its durable outbox. A label may arrive before or after its capture.
 *
 * @param deviceId the device the labelled inferences ran on
 * @param ts creation time
 * @param seq per-device sequence number
 * @param labels the labels, at least one
 */
public record LabelBatch(String deviceId, Instant ts, long seq, List<SampleLabel> labels) implements Message {
    /** Schema id of this record. */
    public static final String SCHEMA = "edgeloop.labels/1";

    public LabelBatch {
        FieldChecks.header(deviceId, ts, seq);
        labels = FieldChecks.list("labels", labels);
        if (labels.isEmpty()) {
            throw new InvalidFieldException("labels", "is empty; a batch carries at least one label");
        }
    }

    @Override
    public String schema() {
        return SCHEMA;
    }
}
