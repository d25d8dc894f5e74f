package io.edgeloop.agent.buffer;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One captured inference: the request id, the model version, the (first) input's values and the
 * (first) output's values, and when it was captured. {@code seq} and {@code priority} come from
 * the record's key.
 *
 * @param priority 0-255; eviction removes lower priorities first, oldest first within one
 * @param output the class probabilities
 * @param shape the input row's shape (batch dimension 1), or null in records written before
 *     shapes were kept
 */
public record CaptureRecord(long seq, int priority, long timestampMillis, String requestId, String model,
                            String version, int predicted, float[] input, float[] output, long[] shape) {

    /** The input's shape; {@code [1, n]} for a record that kept none. */
    public long[] shapeOrRow() {
        return shape != null ? shape.clone() : new long[] {1, input.length};
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 4 * (input.length + output.length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(timestampMillis);
            out.writeUTF(requestId == null ? "" : requestId);
            out.writeUTF(model);
            out.writeUTF(version);
            out.writeInt(predicted);
            writeFloats(out, input);
            writeFloats(out, output);
            // Appended last: records without it (older agents) still read.
            if (shape != null) {
                out.writeInt(shape.length);
                for (long dimension : shape) {
                    out.writeLong(dimension);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static CaptureRecord decode(long seq, int priority, byte[] value) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
            long ts = in.readLong();
            String id = in.readUTF();
            String model = in.readUTF();
            String version = in.readUTF();
            int predicted = in.readInt();
            float[] input = readFloats(in);
            float[] output = readFloats(in);
            long[] shape = null;
            if (in.available() > 0) {
                shape = new long[in.readInt()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = in.readLong();
                }
            }
            return new CaptureRecord(seq, priority, ts, id, model, version, predicted, input, output, shape);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt capture record " + seq, e);
        }
    }

    static long timestampOf(byte[] value) {
        return Keys.getLong(value, 0);
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}
