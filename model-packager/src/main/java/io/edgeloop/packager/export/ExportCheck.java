package io.edgeloop.packager.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeloop.packageformat.ort.ServingSessionOptions;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs the same raw inputs through the DJL block (after scaling them in Java, as training did)
 * and through the exported ONNX graph in ONNX Runtime (which scales them itself), and refuses
 * the export when any output differs by more than the tolerance. This is the test that the
 * exported graph, scaling included, computes what was trained.
 *
 * @param tolerance maximum absolute difference allowed between DJL and ONNX Runtime outputs
 */
public record ExportCheck(double tolerance) {
    public static final double DEFAULT_TOLERANCE = 1e-4;

    public static ExportCheck defaults() {
        return new ExportCheck(DEFAULT_TOLERANCE);
    }

    /** Returns the maximum absolute difference, or throws MODEL_INVALID when above the tolerance. */
    public double verify(byte[] onnx, Block block, FeatureScaling scaling, long[] featureShape, boolean classifier,
                         float[] rawSamples) throws EdgeLoopException {
        int width = (int) new Shape(featureShape).size();
        int n = rawSamples.length / width;
        if (n == 0 || rawSamples.length % width != 0) {
            throw new IllegalArgumentException("validation samples must be whole rows of " + width + " features");
        }
        long[] inputShape = DjlOnnxExporter.prepend(n, featureShape);
        float[] expected = runDjl(block, scaling.apply(rawSamples, width), inputShape, classifier);
        float[] actual = runOnnx(onnx, rawSamples, inputShape);
        if (expected.length != actual.length) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "exported model gives " + actual.length
                    + " outputs where DJL gives " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        if (!(max <= tolerance)) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, String.format(
                    "export check failed: ONNX Runtime differs from DJL by %.3g (> %.1g) on %d samples", max, tolerance, n));
        }
        return max;
    }

    private static float[] runDjl(Block block, float[] scaled, long[] shape, boolean classifier) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(scaled, new Shape(shape));
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            return (classifier ? y.softmax(1) : y).toFloatArray();
        }
    }

    private static float[] runOnnx(byte[] onnx, float[] raw, long[] shape) throws EdgeLoopException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = ServingSessionOptions.create(0);
             OrtSession session = env.createSession(onnx, options);
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw), shape);
             OrtSession.Result result = session.run(Map.of(DjlOnnxExporter.INPUT, input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        } catch (OrtException e) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "ONNX Runtime rejects the exported model: "
                    + e.getMessage(), e);
        }
    }
}
