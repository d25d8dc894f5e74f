package io.edgeloop.server.captures;

/**
 * A capture's shape as stored: its dimensions comma-separated. (Inputs are stored as the wire's
 * little-endian float32 bytes, {@link io.edgeloop.protocol.codec.Float32Le}.)
 */
final class ShapeText {
    private ShapeText() {
    }

    static String of(long[] shape) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return s.toString();
    }

    static long[] parse(String text) {
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
