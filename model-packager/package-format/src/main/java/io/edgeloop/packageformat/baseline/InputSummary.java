package io.edgeloop.packageformat.baseline;

import java.util.List;

/**
 * Turns one input sample into the few summary features the drift baseline and the agent's drift
 * monitor compare. The same class runs at packaging time and on the device, so the features
 * cannot skew. Tabular inputs (named feature columns) are summarised as the columns themselves;
 * image-like inputs as brightness and contrast statistics.
 */
public final class InputSummary {
    /** Pixel values above this (inputs scaled to [0, 1]) count as "ink". */
    static final float INK_THRESHOLD = 0.5f;
    private static final List<String> IMAGE_FEATURES = List.of("mean", "std", "ink_fraction", "max");

    private final List<String> names;
    private final boolean tabular;

    private InputSummary(List<String> names, boolean tabular) {
        this.names = List.copyOf(names);
        this.tabular = tabular;
    }

    /** Summary of tabular rows: one feature per named column. */
    public static InputSummary tabular(List<String> featureNames) {
        return new InputSummary(featureNames, true);
    }

    /** Summary of images or other dense tensors: mean, std, ink fraction and max. */
    public static InputSummary image() {
        return new InputSummary(IMAGE_FEATURES, false);
    }

    /** Tabular when feature names are known, image statistics otherwise. */
    public static InputSummary forInput(List<String> featureNames) {
        return featureNames.isEmpty() ? image() : tabular(featureNames);
    }

    public List<String> names() {
        return names;
    }

    public boolean isTabular() {
        return tabular;
    }

    /** Summary features of the sample of {@code width} values at {@code offset} in {@code values}. */
    public double[] summarize(float[] values, int offset, int width) {
        if (tabular) {
            double[] out = new double[width];
            for (int i = 0; i < width; i++) {
                out[i] = values[offset + i];
            }
            return out;
        }
        double sum = 0;
        double sumSq = 0;
        double max = Double.NEGATIVE_INFINITY;
        int ink = 0;
        for (int i = offset; i < offset + width; i++) {
            float v = values[i];
            sum += v;
            sumSq += (double) v * v;
            max = Math.max(max, v);
            if (v > INK_THRESHOLD) {
                ink++;
            }
        }
        double mean = sum / width;
        double variance = Math.max(0, sumSq / width - mean * mean);
        return new double[]{mean, Math.sqrt(variance), (double) ink / width, max};
    }
}
