package io.edgeloop.agent.api;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Tensor data in the binary form of the KServe v2 / Triton binary tensor data extension: the
 * elements' little-endian bytes, row-major; BOOL one byte (0 or 1) each; BYTES each element as a
 * 4-byte little-endian length and its bytes (read as UTF-8). A request carries these after its
 * JSON header, whose length the {@code Inference-Header-Content-Length} HTTP header gives.
 */
final class BinaryTensorData {
    static final String HEADER = "Inference-Header-Content-Length";

    private BinaryTensorData() {
    }

    /** The bytes of a request's binary section, consumed input by input in request order. */
    static final class Section {
        private final byte[] body;
        private int pos;

        Section(byte[] body, int start) {
            this.body = body;
            this.pos = start;
        }

        /** Decodes the next {@code size} bytes as {@code n} elements of {@code type}; {@code where} names the input. */
        Object take(DataType type, int n, long size, String where) {
            if (size > body.length - pos) {
                throw new BadRequestException(where + " declares binary_data_size " + size + " but only "
                        + (body.length - pos) + " bytes of binary data are left");
            }
            Object data = decode(type, n, body, pos, (int) size, where);
            pos += (int) size;
            return data;
        }

        /** Fails unless every byte was claimed by some input. */
        void requireConsumed() {
            if (pos != body.length) {
                throw new BadRequestException("the binary data has " + (body.length - pos)
                        + " bytes that no input's binary_data_size claims");
            }
        }
    }

    static Object decode(DataType type, int n, byte[] src, int offset, int size, String where) {
        if (type == DataType.BYTES) {
            return strings(n, src, offset, size, where);
        }
        long expected = (long) n * width(type);
        if (size != expected) {
            throw new BadRequestException(where + " is " + type + " with " + n + " elements, which take " + expected
                    + " bytes, but binary_data_size is " + size);
        }
        ByteBuffer b = ByteBuffer.wrap(src, offset, size).order(ByteOrder.LITTLE_ENDIAN);
        Object out = type.newArray(n);
        switch (type) {
            case FP32 -> {
                float[] a = (float[]) out;
                b.asFloatBuffer().get(a);
                for (float v : a) {
                    finite(Float.isFinite(v), v, type, where);
                }
            }
            case FP64 -> {
                double[] a = (double[]) out;
                b.asDoubleBuffer().get(a);
                for (double v : a) {
                    finite(Double.isFinite(v), v, type, where);
                }
            }
            case INT8, UINT8 -> b.get((byte[]) out);
            case BOOL -> {
                byte[] a = (byte[]) out;
                b.get(a);
                for (byte v : a) {
                    if (v != 0 && v != 1) {
                        throw new BadRequestException(where + " is BOOL but holds the byte " + v + " (only 0 and 1)");
                    }
                }
            }
            case INT16 -> b.asShortBuffer().get((short[]) out);
            case INT32 -> b.asIntBuffer().get((int[]) out);
            case INT64 -> b.asLongBuffer().get((long[]) out);
            default -> throw new IllegalStateException(type.name());
        }
        return out;
    }

    private static void finite(boolean finite, double v, DataType type, String where) {
        if (!finite) {
            throw new BadRequestException(where + " holds " + v + ", which is not a finite " + type);
        }
    }

    private static String[] strings(int n, byte[] src, int offset, int size, String where) {
        String[] out = new String[n];
        ByteBuffer b = ByteBuffer.wrap(src, offset, size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (b.remaining() < 4) {
                throw new BadRequestException(where + ": binary BYTES element " + i + " has no 4-byte length");
            }
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new BadRequestException(where + ": binary BYTES element " + i + " declares " + length
                        + " bytes but " + b.remaining() + " are left");
            }
            out[i] = new String(src, b.position(), length, StandardCharsets.UTF_8);
            b.position(b.position() + length);
        }
        if (b.hasRemaining()) {
            throw new BadRequestException(where + ": " + b.remaining() + " bytes after its " + n + " BYTES elements");
        }
        return out;
    }

    /** The binary form of {@code t}'s elements. */
    static byte[] encode(Tensor t) {
        if (t.type() == DataType.BYTES) {
            byte[][] parts = new byte[t.length()][];
            int total = 0;
            for (int i = 0; i < parts.length; i++) {
                parts[i] = ((String[]) t.data())[i].getBytes(StandardCharsets.UTF_8);
                total += 4 + parts[i].length;
            }
            ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] p : parts) {
                b.putInt(p.length).put(p);
            }
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(t.length() * width(t.type())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.type()) {
            case FP32 -> b.asFloatBuffer().put((float[]) t.data());
            case FP64 -> b.asDoubleBuffer().put((double[]) t.data());
            case INT8, UINT8, BOOL -> b.put((byte[]) t.data());
            case INT16 -> b.asShortBuffer().put((short[]) t.data());
            case INT32 -> b.asIntBuffer().put((int[]) t.data());
            case INT64 -> b.asLongBuffer().put((long[]) t.data());
            default -> throw new IllegalStateException(t.type().name());
        }
        return b.array();
    }

    private static int width(DataType type) {
        return switch (type) {
            case FP32, INT32 -> 4;
            case FP64, INT64 -> 8;
            case INT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            case BYTES -> throw new IllegalArgumentException("BYTES elements have no fixed width");
        };
    }
}
