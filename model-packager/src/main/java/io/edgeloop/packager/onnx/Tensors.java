package io.edgeloop.packager.onnx;

import com.google.protobuf.ByteString;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Conversions between ONNX {@link TensorProto}s and Java arrays. Writes always use {@code raw_data}
 * (little-endian, as the spec requires), the compact form exporters emit; reads accept both
 * {@code raw_data} and the typed repeated fields.
 */
public final class Tensors {
    private Tensors() {
    }

    public static long elementCount(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    public static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** The values of a FLOAT tensor. */
    public static float[] toFloats(TensorProto t) {
        if (t.getDataType() != DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException(t.getName() + " is " + ElementType.name(t.getDataType()) + ", not FLOAT");
        }
        int n = Math.toIntExact(elementCount(t));
        float[] out = new float[n];
        if (t.hasRawData()) {
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = t.getFloatData(i);
            }
        }
        return out;
    }

    /** The values of an INT64 tensor. */
    public static long[] toLongs(TensorProto t) {
        int n = Math.toIntExact(elementCount(t));
        long[] out = new long[n];
        if (t.hasRawData()) {
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = t.getInt64Data(i);
            }
        }
        return out;
    }

    public static TensorProto ofFloats(String name, float[] values, long... dims) {
        checkCount(name, values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return raw(name, DataType.FLOAT, buf.array(), dims);
    }

    public static TensorProto ofInt8(String name, byte[] values, long... dims) {
        checkCount(name, values.length, dims);
        return raw(name, DataType.INT8, values.clone(), dims);
    }

    public static TensorProto ofUint8(String name, byte[] values, long... dims) {
        checkCount(name, values.length, dims);
        return raw(name, DataType.UINT8, values.clone(), dims);
    }

    public static TensorProto ofInt32(String name, int[] values, long... dims) {
        checkCount(name, values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(values);
        return raw(name, DataType.INT32, buf.array(), dims);
    }

    public static TensorProto ofInt64(String name, long[] values, long... dims) {
        checkCount(name, values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return raw(name, DataType.INT64, buf.array(), dims);
    }

    private static TensorProto raw(String name, DataType type, byte[] bytes, long[] dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(bytes));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    private static void checkCount(String name, int count, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException(name + ": " + count + " values do not fill shape "
                    + java.util.Arrays.toString(dims));
        }
    }
}
