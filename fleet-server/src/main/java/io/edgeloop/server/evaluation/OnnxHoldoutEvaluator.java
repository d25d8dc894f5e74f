package io.edgeloop.server.evaluation;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeloop.packageformat.ort.ServingSessionOptions;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.eval.ClassificationMetrics;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Scores an exported ONNX classifier on a holdout set of raw features with ONNX Runtime, the
 * engine the fleet serves with: what the registry's gate and the training report compare.
 * Takes the model's first input and first output, argmax over the last axis.
 */
public final class OnnxHoldoutEvaluator {
    private static final int CHUNK = 1000;

    /** Predicted classes of every holdout sample. */
    public int[] predict(Path model, Dataset holdout) throws EdgeLoopException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int[] out = new int[holdout.size()];
        // The agent's session settings, with ONNX Runtime's default thread count (0).
        try (OrtSession.SessionOptions options = ServingSessionOptions.create(0);
             OrtSession session = env.createSession(model.toString(), options)) {
            String input = session.getInputNames().iterator().next();
            int width = holdout.width();
            for (int from = 0; from < holdout.size(); from += CHUNK) {
                int n = Math.min(CHUNK, holdout.size() - from);
                long[] shape = new long[holdout.featureShape().length + 1];
                shape[0] = n;
                System.arraycopy(holdout.featureShape(), 0, shape, 1, holdout.featureShape().length);
                FloatBuffer x = FloatBuffer.wrap(holdout.features(), from * width, n * width).slice();
                try (OnnxTensor tensor = OnnxTensor.createTensor(env, x, shape);
                     OrtSession.Result result = session.run(Map.of(input, tensor))) {
                    OnnxTensor y = (OnnxTensor) result.get(0);
                    FloatBuffer scores = y.getFloatBuffer();
                    int classes = scores.remaining() / n;
                    for (int i = 0; i < n; i++) {
                        int best = 0;
                        for (int c = 1; c < classes; c++) {
                            if (scores.get(i * classes + c) > scores.get(i * classes + best)) {
                                best = c;
                            }
                        }
                        out[from + i] = best;
                    }
                }
            }
        } catch (OrtException e) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "ONNX Runtime cannot run " + model + ": " + e.getMessage(), e);
        }
        return out;
    }

    public ClassificationMetrics evaluate(Path model, Dataset holdout) throws EdgeLoopException {
        int[] truth = new int[holdout.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = holdout.label(i);
        }
        return ClassificationMetrics.of(truth, predict(model, holdout), holdout.classNames().size());
    }
}
