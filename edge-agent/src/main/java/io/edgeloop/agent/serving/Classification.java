package io.edgeloop.agent.serving;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;

import java.util.List;

/**
 * Reads a classifier's answer out of raw outputs: the first FP32 output whose rows are class
 * scores, turned into probabilities (softmax) unless they already are.
 */
final class Classification {
    private Classification() {
    }

    /** The class-score output, or null when the model is not a classifier we can read. */
    static Tensor scores(List<Tensor> outputs, int classes) {
        for (Tensor t : outputs) {
            if (t.type() == DataType.FP32 && t.shape().length >= 1) {
                long last = t.shape()[t.shape().length - 1];
                if ((classes > 0 && last == classes) || (classes == 0 && last >= 2)) {
                    return t;
                }
            }
        }
        return null;
    }

    /** Row-wise probabilities: softmax of the scores unless each row is already a distribution. */
    static float[] probabilities(float[] scores, int width) {
        boolean distribution = true;
        for (int row = 0; row < scores.length / width && distribution; row++) {
            double sum = 0;
            for (int i = row * width; i < (row + 1) * width; i++) {
                float v = scores[i];
                if (v < 0 || v > 1) {
                    distribution = false;
                    break;
                }
                sum += v;
            }
            distribution &= Math.abs(sum - 1) < 1e-3;
        }
        if (distribution) {
            return scores;
        }
        float[] out = new float[scores.length];
        for (int row = 0; row < scores.length / width; row++) {
            int from = row * width;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < from + width; i++) {
                max = Math.max(max, scores[i]);
            }
            double sum = 0;
            for (int i = from; i < from + width; i++) {
                out[i] = (float) Math.exp(scores[i] - max);
                sum += out[i];
            }
            for (int i = from; i < from + width; i++) {
                out[i] /= sum;
            }
        }
        return out;
    }

    static int argmax(float[] values, int from, int width) {
        int best = 0;
        for (int i = 1; i < width; i++) {
            if (values[from + i] > values[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
