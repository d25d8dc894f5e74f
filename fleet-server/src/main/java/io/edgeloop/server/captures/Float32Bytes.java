package io.edgeloop.server.captures;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Inputs as stored: little-endian float32, 4 bytes a value (the wire's {@code inputB64} decoded). */
final class Float32Bytes {
    private Float32Bytes() {
    }

    static byte[] encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static float[] decode(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalStateException("a stored input of " + bytes.length + " bytes is not float32 values");
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    static String shapeText(long[] shape) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return s.toString();
    }

    static long[] shape(String text) {
        if (text.isEmpty()) {
            return new long[0];
        }
        String[] parts = text.split(",");
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            shape[i] = Long.parseLong(parts[i]);
        }
        return shape;
    }
}
