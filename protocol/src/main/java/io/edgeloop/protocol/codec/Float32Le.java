package io.edgeloop.protocol.codec;

import io.edgeloop.protocol.MessageFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Float32 values as little-endian bytes and as their base64 text: how a {@code CapturedSample}'s
 * input travels ({@code inputB64}), about half the size of a JSON list of the same floats, and a
 * compact form to store them in.
 */
public final class Float32Le {
    private Float32Le() {
    }

    /** The values as little-endian float32 bytes, 4 per value. */
    public static byte[] toBytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    /**
     * The values of little-endian float32 bytes.
     *
     * @throws IllegalArgumentException if the length is not a multiple of 4
     */
    public static float[] fromBytes(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException(bytes.length + " bytes are not a whole number of float32 values");
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** Standard base64 (with padding) of {@link #toBytes}. */
    public static String toBase64(float[] values) {
        return Base64.getEncoder().encodeToString(toBytes(values));
    }

    /** How many characters {@link #toBase64} writes for {@code count} values. */
    public static long base64Length(int count) {
        return 4L * ((count * (long) Float.BYTES + 2) / 3);
    }

    /**
     * The values of {@code text}, standard base64 of little-endian float32 bytes.
     *
     * @param field the JSON path to name in a refusal
     * @throws MessageFormatException if the text is not base64 or not a whole number of floats
     */
    static float[] fromBase64(String field, String text) throws MessageFormatException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new MessageFormatException(field, "is not base64: " + e.getMessage(), e);
        }
        if (bytes.length % Float.BYTES != 0) {
            throw new MessageFormatException(field, "decodes to " + bytes.length
                    + " bytes, not a whole number of little-endian float32 values");
        }
        return fromBytes(bytes);
    }
}
