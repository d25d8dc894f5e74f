package io.edgeloop.packager.pkg;

/**
 * What a classifier's score output holds. Packages keep the model's own outputs (names and
 * values, as Triton and KServe serve them); the packager only records whether the class scores
 * are already probabilities or logits, and the drift baseline and the agent turn logits into
 * probabilities with the same softmax.
 */
final class ClassScores {
    private static final double SUM_TOLERANCE = 1e-3;

    private ClassScores() {
    }

    /** True when every row is non-negative and sums to 1: already probabilities. */
    static boolean looksLikeProbabilities(float[] flat, int classes) {
        for (int row = 0; row < flat.length / classes; row++) {
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                float v = flat[row * classes + k];
                if (v < 0) {
                    return false;
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    /** Row-wise softmax in float, the agent's own arithmetic (edge-agent {@code Classification}). */
    static float[] softmax(float[] scores, int width) {
        float[] out = new float[width];
        float max = Float.NEGATIVE_INFINITY;
        for (float v : scores) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < width; i++) {
            out[i] = (float) Math.exp(scores[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < width; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
