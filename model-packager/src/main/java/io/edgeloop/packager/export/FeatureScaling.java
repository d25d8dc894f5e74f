package io.edgeloop.packager.export;

import java.util.Arrays;

/**
 * Standardisation {@code (x - mean) / std} learned on a training split. It is written into the
 * exported ONNX graph as Sub and Div nodes in front of the network, so a served model takes raw
 * features and applies exactly the transform used in training: serving cannot skew.
 *
 * <p>One value per feature (tabular data) or a single value for every feature (images).
 */
public record FeatureScaling(float[] mean, float[] std) {
    /** Floor on a standard deviation, so a constant feature does not divide by zero. */
    public static final float MIN_STD = 1e-6f;

    public FeatureScaling {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need the same, non-zero length");
        }
        mean = mean.clone();
        std = std.clone();
        for (int i = 0; i < std.length; i++) {
            std[i] = Math.max(std[i], MIN_STD);
        }
    }

    /** The identity transform for {@code features} features. */
    public static FeatureScaling identity(int features) {
        float[] ones = new float[features];
        Arrays.fill(ones, 1f);
        return new FeatureScaling(new float[features], ones);
    }

    /** One mean and std over every value of {@code rows x width} features (for images). */
    public static FeatureScaling learnGlobal(float[] features) {
        double sum = 0;
        double sumSq = 0;
        for (float v : features) {
            sum += v;
            sumSq += (double) v * v;
        }
        double mean = sum / features.length;
        double var = Math.max(0, sumSq / features.length - mean * mean);
        return new FeatureScaling(new float[] {(float) mean}, new float[] {(float) Math.sqrt(var)});
    }

    /** A mean and std per column of {@code features}, a row-major matrix of {@code width} columns. */
    public static FeatureScaling learnPerFeature(float[] features, int width) {
        int rows = features.length / width;
        double[] sum = new double[width];
        double[] sumSq = new double[width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                double v = features[r * width + c];
                sum[c] += v;
                sumSq[c] += v * v;
            }
        }
        float[] mean = new float[width];
        float[] std = new float[width];
        for (int c = 0; c < width; c++) {
            double m = rows == 0 ? 0 : sum[c] / rows;
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(Math.max(0, rows == 0 ? 0 : sumSq[c] / rows - m * m));
        }
        return new FeatureScaling(mean, std);
    }

    public boolean isGlobal() {
        return mean.length == 1;
    }

    /** Applies the transform to a row-major copy of {@code features} with {@code width} columns. */
    public float[] apply(float[] features, int width) {
        float[] out = new float[features.length];
        for (int i = 0; i < features.length; i++) {
            int c = isGlobal() ? 0 : i % width;
            out[i] = (features[i] - mean[c]) / std[c];
        }
        return out;
    }
}
