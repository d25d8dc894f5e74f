package io.edgeloop.packager.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeloop.packageformat.ort.ServingSessionOptions;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session over a single-input float model, with the float-array API evaluation,
 * calibration and benchmarks need. Every {@link OnnxTensor} and {@link OrtSession.Result} it
 * creates is closed before a call returns. The process-wide {@link OrtEnvironment} is shared and
 * never closed here.
 */
public final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final List<String> outputNames;
    private boolean closed;

    public OrtRunner(byte[] model, RunnerOptions options) throws EdgeLoopException {
        // As the agent serves (no spinning, no arena, ...), so what the packager measures is what
        // a device will see; only the optimization level may differ (calibration needs BASIC).
        try (OrtSession.SessionOptions so = ServingSessionOptions.create(options.intraOpThreads())) {
            so.setOptimizationLevel(switch (options.optimization()) {
                case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            session = env.createSession(model, so);
        } catch (OrtException e) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "ONNX Runtime refused the model: " + e.getMessage(), e);
        }
        Set<String> inputs = session.getInputNames();
        if (inputs.size() != 1) {
            close();
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "expected a model with one input, found " + inputs);
        }
        inputName = inputs.iterator().next();
        outputNames = List.copyOf(session.getOutputNames());
    }

    public OrtRunner(OnnxModel model, RunnerOptions options) throws EdgeLoopException {
        this(model.toBytes(), options);
    }

    public String inputName() {
        return inputName;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    /** Runs one batch and returns the first output flattened (row-major). */
    public float[] runFlat(float[] batch, long[] shape) throws EdgeLoopException {
        return runAll(batch, shape, List.of(outputNames.get(0))).get(outputNames.get(0));
    }

    /** Runs one batch and returns the first output as one row per sample. */
    public float[][] run(float[] batch, long[] shape) throws EdgeLoopException {
        float[] flat = runFlat(batch, shape);
        int rows = (int) shape[0];
        int width = rows == 0 ? 0 : flat.length / rows;
        float[][] out = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * width, out[r], 0, width);
        }
        return out;
    }

    /** Runs one batch and returns the named float outputs, flattened, in the order asked. */
    public Map<String, float[]> runAll(float[] batch, long[] shape, List<String> outputs) throws EdgeLoopException {
        if (closed) {
            throw new IllegalStateException("OrtRunner is closed");
        }
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), shape);
             OrtSession.Result result = session.run(Map.of(inputName, input), Set.copyOf(outputs))) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (String name : outputs) {
                OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
                FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
                float[] values = new float[fb.remaining()];
                fb.get(values);
                out.put(name, values);
            }
            return out;
        } catch (OrtException e) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_FAILED, "inference failed for input shape "
                    + java.util.Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    /** Runs and discards the result: the cheapest call for timing loops. */
    public void runDiscard(float[] batch, long[] shape) throws EdgeLoopException {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), shape);
             OrtSession.Result ignored = session.run(Map.of(inputName, input))) {
            // the result is closed unread
        } catch (OrtException e) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_FAILED, "inference failed: " + e.getMessage(), e);
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
