package io.edgeloop.agent.serving;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.packageformat.baseline.OutputBaseline;

import java.util.List;

/**
 * Reads a classifier's answer out of its own raw outputs, which are served untouched: the output
 * the package's baseline names (else the first FP32 output whose rows are class scores), turned
 * into probabilities by softmax when the baseline says they are logits (packages without that
 * record: unless each row already is a distribution).
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

    /** The class-score output the baseline names, else as {@link #scores(List, int)} finds it. */
    static Tensor scores(List<Tensor> outputs, int classes, OutputBaseline baseline) {
        if (baseline != null && baseline.scoreOutput() != null) {
            for (Tensor t : outputs) {
                if (t.name().equals(baseline.scoreOutput()) && t.type() == DataType.FP32) {
                    return t;
                }
            }
        }
        return scores(outputs, classes);
    }

    /** Row-wise probabilities as the baseline's record of the scores says, else as {@link #probabilities(float[], int)}. */
    static float[] probabilities(float[] scores, int width, OutputBaseline baseline) {
        String kind = baseline == null ? null : baseline.scores();
        if (OutputBaseline.PROBABILITIES.equals(kind)) {
            return scores;
        }
        return OutputBaseline.LOGITS.equals(kind) ? softmax(scores, width) : probabilities(scores, width);
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
        return distribution ? scores : softmax(scores, width);
    }

    /** Row-wise softmax, in float (the packager's baseline uses the same arithmetic). */
    static float[] softmax(float[] scores, int width) {
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
