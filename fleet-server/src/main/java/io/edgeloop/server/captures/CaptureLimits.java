package io.edgeloop.server.captures;

import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.SampleLabel;

/**
 * What the store's columns hold beyond what the protocol records check: text lengths and the
 * shape's printed size. A batch over them is refused as a whole before any transaction (the
 * ingest rejects it with its code instead of retrying a statement that cannot succeed).
 */
public final class CaptureLimits {
    public static final int MAX_ID_CHARS = 128;
    public static final int MAX_VERSION_CHARS = 64;
    public static final int MAX_SOURCE_CHARS = 32;
    public static final int MAX_SHAPE_CHARS = 256;

    private CaptureLimits() {
    }

    /** What in {@code batch} the store cannot hold, or null when it can. */
    public static String problem(CaptureBatch batch) {
        String device = text("deviceId", batch.deviceId(), MAX_ID_CHARS);
        if (device != null) {
            return device;
        }
        for (int i = 0; i < batch.samples().size(); i++) {
            CapturedSample s = batch.samples().get(i);
            String p = first(text("samples[" + i + "].requestId", s.requestId(), MAX_ID_CHARS),
                    text("samples[" + i + "].model", s.model(), MAX_ID_CHARS),
                    text("samples[" + i + "].version", s.version(), MAX_VERSION_CHARS),
                    text("samples[" + i + "].shape", ShapeText.of(s.shape()), MAX_SHAPE_CHARS));
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** What in {@code batch} the store cannot hold, or null when it can. */
    public static String problem(LabelBatch batch) {
        String device = text("deviceId", batch.deviceId(), MAX_ID_CHARS);
        if (device != null) {
            return device;
        }
        for (int i = 0; i < batch.labels().size(); i++) {
            SampleLabel l = batch.labels().get(i);
            String p = first(text("labels[" + i + "].requestId", l.requestId(), MAX_ID_CHARS),
                    text("labels[" + i + "].model", l.model(), MAX_ID_CHARS),
                    text("labels[" + i + "].source", l.source(), MAX_SOURCE_CHARS));
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    static String text(String field, String value, int max) {
        return value.length() <= max ? null : field + " has " + value.length() + " characters, more than the "
                + max + " the capture store keeps";
    }

    private static String first(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
