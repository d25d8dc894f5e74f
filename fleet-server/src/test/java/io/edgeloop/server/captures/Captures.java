package io.edgeloop.server.captures;

import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.SampleLabel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Capture and label messages for the store and ingest tests: 4 float32 values (16 bytes) a sample. */
public final class Captures {
    public static final String MODEL = "fashion";

    private Captures() {
    }

    /** The input a request id gets, the same every time. */
    public static float[] input(String requestId) {
        float h = Math.abs(requestId.hashCode() % 1000) / 1000f;
        return new float[] {h, 0.25f, -1.5f, 1e-3f};
    }

    /** One sample per request id, captured {@code ts} plus its index in milliseconds. */
    public static CaptureBatch batch(String device, long seq, Instant ts, String... requestIds) {
        List<CapturedSample> samples = new ArrayList<>();
        for (int i = 0; i < requestIds.length; i++) {
            samples.add(new CapturedSample(requestIds[i], MODEL, "1.0.0", ts.toEpochMilli() + i, 2, 0.75f,
                    new long[] {1, 4}, input(requestIds[i]), null));
        }
        return new CaptureBatch(device, ts, seq, samples);
    }

    /** Feedback labels, request id to class, given at {@code labelledAt}. */
    public static LabelBatch labels(String device, long seq, Map<String, Integer> labels, long labelledAt) {
        List<SampleLabel> list = new ArrayList<>();
        new TreeMap<>(labels).forEach((id, label) -> list.add(new SampleLabel(id, MODEL, label, labelledAt,
                SampleLabel.FEEDBACK)));
        return new LabelBatch(device, Instant.ofEpochMilli(labelledAt), seq, list);
    }
}
