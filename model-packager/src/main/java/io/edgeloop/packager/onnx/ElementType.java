package io.edgeloop.packager.onnx;

import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto.DataType;

/** The ONNX element types this code reads and writes, with their byte sizes. */
public final class ElementType {
    private ElementType() {
    }

    /** Bytes per element, or 0 for variable-size types (strings). */
    public static int byteSize(int dataType) {
        DataType t = DataType.forNumber(dataType);
        if (t == null) {
            return 0;
        }
        return switch (t) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64, COMPLEX64 -> 8;
            case INT8, UINT8, BOOL -> 1;
            case INT16, UINT16, FLOAT16, BFLOAT16 -> 2;
            case COMPLEX128 -> 16;
            default -> 0;
        };
    }

    /** The enum name ({@code FLOAT}, {@code INT8}, ...) or {@code TYPE_<n>} for unknown numbers. */
    public static String name(int dataType) {
        DataType t = DataType.forNumber(dataType);
        return t == null ? "TYPE_" + dataType : t.name();
    }
}
