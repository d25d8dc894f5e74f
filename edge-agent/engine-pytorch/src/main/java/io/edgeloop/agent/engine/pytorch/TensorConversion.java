package io.edgeloop.agent.engine.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.ModelSignature;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.engine.TensorSpec;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Set;

/**
 * Converts between the agent's {@link Tensor}s and DJL {@link NDArray}s for the element types a
 * TorchScript model can take from KServe v2: FP32, FP64, INT32, INT64, INT8, UINT8 and BOOL
 * (BOOL and UINT8 travel as raw bytes, as {@link DataType} defines them).
 */
final class TensorConversion {
    static final Set<DataType> SERVED = Set.of(DataType.FP32, DataType.FP64, DataType.INT32, DataType.INT64,
            DataType.INT8, DataType.UINT8, DataType.BOOL);

    private TensorConversion() {
    }

    /** Refuses a declaration naming a type this engine cannot hand to PyTorch. */
    static void requireServable(ModelSignature declared) throws EdgeLoopException {
        for (List<TensorSpec> specs : List.of(declared.inputs(), declared.outputs())) {
            for (TensorSpec spec : specs) {
                if (!SERVED.contains(spec.type())) {
                    throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "the manifest declares tensor '" + spec.name()
                            + "' as " + spec.type() + "; the PyTorch engine serves " + SERVED);
                }
            }
        }
    }

    static ai.djl.ndarray.types.DataType djlType(DataType type) {
        return switch (type) {
            case FP32 -> ai.djl.ndarray.types.DataType.FLOAT32;
            case FP64 -> ai.djl.ndarray.types.DataType.FLOAT64;
            case INT32 -> ai.djl.ndarray.types.DataType.INT32;
            case INT64 -> ai.djl.ndarray.types.DataType.INT64;
            case INT8 -> ai.djl.ndarray.types.DataType.INT8;
            case UINT8 -> ai.djl.ndarray.types.DataType.UINT8;
            case BOOL -> ai.djl.ndarray.types.DataType.BOOLEAN;
            case INT16, BYTES -> throw new IllegalArgumentException(type + " is not served by the PyTorch engine");
        };
    }

    /** A new array on {@code manager} holding a copy of {@code t}. */
    static NDArray toNd(NDManager manager, Tensor t) {
        Shape shape = new Shape(t.shape());
        return switch (t.type()) {
            case FP32 -> manager.create(FloatBuffer.wrap((float[]) t.data()), shape);
            case FP64 -> manager.create(DoubleBuffer.wrap((double[]) t.data()), shape);
            case INT32 -> manager.create(IntBuffer.wrap((int[]) t.data()), shape);
            case INT64 -> manager.create(LongBuffer.wrap((long[]) t.data()), shape);
            case INT8, UINT8, BOOL -> manager.create(ByteBuffer.wrap((byte[]) t.data()), shape, djlType(t.type()));
            case INT16, BYTES -> throw new IllegalArgumentException(t.type() + " is not served by the PyTorch engine");
        };
    }

    /** The values of {@code array} as the tensor {@code spec} declares; refuses an array of another type. */
    static Tensor fromNd(TensorSpec spec, NDArray array) throws EdgeLoopException {
        if (array.getDataType() != djlType(spec.type())) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_FAILED, "the model's output '" + spec.name() + "' is "
                    + array.getDataType() + " but the package declares " + spec.type());
        }
        long[] shape = array.getShape().getShape();
        ByteBuffer bytes = array.toByteBuffer().order(ByteOrder.nativeOrder());
        Object data = switch (spec.type()) {
            case FP32 -> {
                float[] a = new float[bytes.remaining() / Float.BYTES];
                bytes.asFloatBuffer().get(a);
                yield a;
            }
            case FP64 -> {
                double[] a = new double[bytes.remaining() / Double.BYTES];
                bytes.asDoubleBuffer().get(a);
                yield a;
            }
            case INT32 -> {
                int[] a = new int[bytes.remaining() / Integer.BYTES];
                bytes.asIntBuffer().get(a);
                yield a;
            }
            case INT64 -> {
                long[] a = new long[bytes.remaining() / Long.BYTES];
                bytes.asLongBuffer().get(a);
                yield a;
            }
            case INT8, UINT8, BOOL -> {
                byte[] a = new byte[bytes.remaining()];
                bytes.get(a);
                yield a;
            }
            case INT16, BYTES -> throw new IllegalArgumentException(spec.type() + " is not served by the PyTorch engine");
        };
        return new Tensor(spec.name(), spec.type(), shape, data);
    }
}
