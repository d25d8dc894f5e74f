package io.edgeloop.agent.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A model opened by ONNX Runtime; converts between {@link Tensor}s and {@link OnnxTensor}s. */
final class OrtModelSession implements ModelSession {
    private static final ThreadLocal<ByteBuffer[]> SCRATCH = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ExecutionProviderChoice provider;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private volatile boolean closed;

    OrtModelSession(OrtEnvironment env, OrtSession session, ExecutionProviderChoice provider) throws OrtException, EdgeLoopException {
        this.env = env;
        this.session = session;
        this.provider = provider;
        try {
            this.inputs = specs(session.getInputInfo());
            this.outputs = specs(session.getOutputInfo());
        } catch (EdgeLoopException | OrtException e) {
            session.close();
            throw e;
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) throws EdgeLoopException {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "model value '" + node.getName()
                        + "' is not a tensor; the agent serves tensor inputs and outputs only");
            }
            specs.add(new TensorSpec(node.getName(), dataType(info.type, node.getName()), info.getShape()));
        }
        return List.copyOf(specs);
    }

    private static DataType dataType(OnnxJavaType type, String name) throws EdgeLoopException {
        return switch (type) {
            case FLOAT -> DataType.FP32;
            case DOUBLE -> DataType.FP64;
            case INT8 -> DataType.INT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case UINT8 -> DataType.UINT8;
            case BOOL -> DataType.BOOL;
            case STRING -> DataType.BYTES;
            default -> throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "tensor '" + name + "' has element type "
                    + type + ", which the agent does not serve");
        };
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public String executionProvider() {
        return provider.provider();
    }

    @Override
    public List<Tensor> run(List<Tensor> given) throws EdgeLoopException {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        Map<String, OnnxTensor> feed = new HashMap<>(given.size() * 2);
        try {
            for (TensorSpec spec : inputs) {
                Tensor tensor = find(given, spec.name());
                check(spec, tensor);
                feed.put(spec.name(), toOnnx(tensor, feed.size()));
            }
            if (given.size() != inputs.size()) {
                throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "the model takes " + inputs.size()
                        + " input(s) " + names(inputs) + " but " + given.size() + " were given");
            }
            try (OrtSession.Result result = session.run(feed)) {
                List<Tensor> out = new ArrayList<>(outputs.size());
                for (int i = 0; i < outputs.size(); i++) {
                    out.add(fromOnnx(outputs.get(i), result.get(i)));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_FAILED, "ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static Tensor find(List<Tensor> given, String name) throws EdgeLoopException {
        for (Tensor t : given) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "input '" + name + "' is missing");
    }

    private static void check(TensorSpec spec, Tensor tensor) throws EdgeLoopException {
        if (tensor.type() != spec.type()) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "input '" + spec.name() + "' must be "
                    + spec.type() + ", not " + tensor.type());
        }
        if (!spec.accepts(tensor.shape())) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "input '" + spec.name() + "' must have shape "
                    + Arrays.toString(spec.shape()) + " (-1 = any), not " + Arrays.toString(tensor.shape()));
        }
    }

    private static String names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList().toString();
    }

    /**
     * Wraps {@code t} for ONNX Runtime. Numeric data is copied into this thread's reusable direct
     * buffer for input {@code slot}: ONNX Runtime reads a direct buffer in place, whereas a heap
     * array would make it allocate a fresh direct buffer per call, which only a garbage
     * collection frees (allocation cost per request and native memory that grows under load).
     * The buffer is reused only after this call's tensors are closed, as {@link #run} does.
     */
    private OnnxTensor toOnnx(Tensor t, int slot) throws OrtException {
        long[] shape = t.shape();
        return switch (t.type()) {
            case FP32 -> {
                float[] a = (float[]) t.data();
                yield OnnxTensor.createTensor(env, scratch(slot, a.length * Float.BYTES).asFloatBuffer().put(a).flip(), shape);
            }
            case FP64 -> {
                double[] a = (double[]) t.data();
                yield OnnxTensor.createTensor(env, scratch(slot, a.length * Double.BYTES).asDoubleBuffer().put(a).flip(), shape);
            }
            case INT8, UINT8, BOOL -> {
                byte[] a = (byte[]) t.data();
                OnnxJavaType type = t.type() == DataType.INT8 ? OnnxJavaType.INT8
                        : t.type() == DataType.UINT8 ? OnnxJavaType.UINT8 : OnnxJavaType.BOOL;
                yield OnnxTensor.createTensor(env, scratch(slot, a.length).put(a).flip(), shape, type);
            }
            case INT16 -> {
                short[] a = (short[]) t.data();
                yield OnnxTensor.createTensor(env, scratch(slot, a.length * Short.BYTES).asShortBuffer().put(a).flip(), shape);
            }
            case INT32 -> {
                int[] a = (int[]) t.data();
                yield OnnxTensor.createTensor(env, scratch(slot, a.length * Integer.BYTES).asIntBuffer().put(a).flip(), shape);
            }
            case INT64 -> {
                long[] a = (long[]) t.data();
                yield OnnxTensor.createTensor(env, scratch(slot, a.length * Long.BYTES).asLongBuffer().put(a).flip(), shape);
            }
            case BYTES -> OnnxTensor.createTensor(env, (String[]) t.data(), shape);
        };
    }

    /** This thread's direct buffer for input {@code slot}, at least {@code bytes} long, cleared, native order. */
    private static ByteBuffer scratch(int slot, int bytes) {
        ByteBuffer[] buffers = SCRATCH.get();
        if (slot >= buffers.length) {
            buffers = Arrays.copyOf(buffers, slot + 1);
            SCRATCH.set(buffers);
        }
        ByteBuffer b = buffers[slot];
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(Math.max(bytes, b == null ? 4096 : b.capacity() * 2)).order(ByteOrder.nativeOrder());
            buffers[slot] = b;
        }
        b.clear().limit(bytes);
        return b;
    }

    private static Tensor fromOnnx(TensorSpec spec, OnnxValue value) throws OrtException {
        OnnxTensor tensor = (OnnxTensor) value;
        long[] shape = tensor.getInfo().getShape();
        Object data = switch (spec.type()) {
            case FP32 -> copy(tensor.getFloatBuffer());
            case FP64 -> copy(tensor.getDoubleBuffer());
            case INT8, UINT8, BOOL -> copy(tensor.getByteBuffer());
            case INT16 -> copy(tensor.getShortBuffer());
            case INT32 -> copy(tensor.getIntBuffer());
            case INT64 -> copy(tensor.getLongBuffer());
            case BYTES -> flattenStrings(tensor.getValue(), (int) Tensor.elementCount(shape));
        };
        return new Tensor(spec.name(), spec.type(), shape, data);
    }

    private static float[] copy(FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    private static double[] copy(DoubleBuffer b) {
        double[] a = new double[b.remaining()];
        b.get(a);
        return a;
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static short[] copy(ShortBuffer b) {
        short[] a = new short[b.remaining()];
        b.get(a);
        return a;
    }

    private static int[] copy(IntBuffer b) {
        int[] a = new int[b.remaining()];
        b.get(a);
        return a;
    }

    private static long[] copy(LongBuffer b) {
        long[] a = new long[b.remaining()];
        b.get(a);
        return a;
    }

    private static String[] flattenStrings(Object nested, int count) {
        String[] out = new String[count];
        int[] next = {0};
        flatten(nested, out, next);
        return out;
    }

    private static void flatten(Object value, String[] out, int[] next) {
        if (value instanceof String s) {
            out[next[0]++] = s;
        } else {
            for (int i = 0; i < Array.getLength(value); i++) {
                flatten(Array.get(value, i), out, next);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the ONNX Runtime session failed", e);
            }
        }
    }
}
