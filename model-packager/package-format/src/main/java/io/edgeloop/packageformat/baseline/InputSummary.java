package io.edgeloop.packageformat.baseline;

import java.util.List;

/**
 * Turns one input sample into the few summary features the drift baseline and the agent's drift
 * monitor compare. The same class runs at packaging time and on the device, so the features
 * cannot skew. Tabular inputs (named feature columns) are summarised as the columns themselves;
 * image-like inputs as brightness, contrast, sharpness and geometry statistics, one pass over
 * the pixels (see {@link #IMAGE_FEATURES}).
 */
public final class InputSummary {
    /** Pixel values above this (inputs scaled to [0, 1]) count as "ink". */
    static final float INK_THRESHOLD = 0.5f;
    /**
     * The image features of new baselines: brightness ({@code mean}), contrast ({@code std},
     * {@code ink_fraction}), sharpness and noise ({@code gradient}: mean absolute difference to
     * the left and upper neighbour; {@code laplacian}: mean absolute 4-neighbour Laplacian, which
     * noise raises and blur lowers), position ({@code centroid_x}, {@code centroid_y}: the
     * intensity-weighted centre, in pixels from the image centre) and orientation
     * ({@code orientation}: 2 mu11 / (mu20 + mu02) of the central second moments, which a
     * rotation moves). Square inputs are read as images of side sqrt(width), others as one row.
     */
    public static final List<String> IMAGE_FEATURES = List.of("mean", "std", "ink_fraction", "gradient", "laplacian",
            "centroid_x", "centroid_y", "orientation");
    /** Everything an image summary can compute; {@code max} is read by baselines packed before the others existed. */
    private static final List<String> KNOWN_IMAGE_FEATURES = List.of("mean", "std", "ink_fraction", "gradient",
            "laplacian", "centroid_x", "centroid_y", "orientation", "max");

    private final List<String> names;
    private final boolean tabular;
    private final int[] picks;

    private InputSummary(List<String> names, boolean tabular) {
        this.names = List.copyOf(names);
        this.tabular = tabular;
        this.picks = new int[names.size()];
        if (!tabular) {
            for (int i = 0; i < picks.length; i++) {
                picks[i] = KNOWN_IMAGE_FEATURES.indexOf(names.get(i));
                if (picks[i] < 0) {
                    throw new IllegalArgumentException("unknown image summary feature '" + names.get(i) + "'");
                }
            }
        }
    }

    /** Summary of tabular rows: one feature per named column. */
    public static InputSummary tabular(List<String> featureNames) {
        return new InputSummary(featureNames, true);
    }

    /** Summary of images or other dense tensors: {@link #IMAGE_FEATURES}. */
    public static InputSummary image() {
        return new InputSummary(IMAGE_FEATURES, false);
    }

    /** An image summary of the named features (a baseline's own list, which older packages keep shorter). */
    public static InputSummary image(List<String> featureNames) {
        return new InputSummary(featureNames, false);
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
        double[] all = imageFeatures(values, offset, width);
        double[] out = new double[picks.length];
        for (int i = 0; i < picks.length; i++) {
            out[i] = all[picks[i]];
        }
        return out;
    }

    /**
     * All of {@link #KNOWN_IMAGE_FEATURES}, in that order, in one pass: per row, float sums of
     * v, v^2, v*x and v*x^2 (the y moments follow from the row sums), neighbour differences and
     * the interior Laplacian without per-pixel branches. It runs on every served image, so it is
     * kept to a few arithmetic operations per pixel.
     */
    private static double[] imageFeatures(float[] values, int offset, int width) {
        int side = (int) Math.round(Math.sqrt(width));
        int cols = side * side == width ? side : width;
        int rows = width / cols;
        double sum = 0;
        double sumSq = 0;
        float max = Float.NEGATIVE_INFINITY;
        int ink = 0;
        double gradient = 0;
        double laplacian = 0;
        double mx = 0;
        double my = 0;
        double mxx = 0;
        double myy = 0;
        double mxy = 0;
        for (int y = 0; y < rows; y++) {
            int row = offset + y * cols;
            float rowSum = 0;
            float rowSq = 0;
            float rowX = 0;
            float rowXX = 0;
            float rowGradient = 0;
            float rowLaplacian = 0;
            float left = values[row];
            for (int x = 0; x < cols; x++) {
                float v = values[row + x];
                float fx = x;
                rowSum += v;
                rowSq += v * v;
                rowX += v * fx;
                rowXX += v * fx * fx;
                max = Math.max(max, v);
                ink += v > INK_THRESHOLD ? 1 : 0;
                rowGradient += Math.abs(v - left);
                left = v;
            }
            if (y > 0) {
                int up = row - cols;
                for (int x = 0; x < cols; x++) {
                    rowGradient += Math.abs(values[row + x] - values[up + x]);
                }
                if (y < rows - 1) {
                    int down = row + cols;
                    for (int x = 1; x < cols - 1; x++) {
                        int i = row + x;
                        rowLaplacian += Math.abs(4 * values[i] - values[i - 1] - values[i + 1] - values[up + x]
                                - values[down + x]);
                    }
                }
            }
            sum += rowSum;
            sumSq += rowSq;
            gradient += rowGradient;
            laplacian += rowLaplacian;
            mx += rowX;
            mxx += rowXX;
            my += (double) y * rowSum;
            myy += (double) y * y * rowSum;
            mxy += (double) y * rowX;
        }
        int interior = Math.max(0, rows - 2) * Math.max(0, cols - 2);
        double mean = sum / width;
        double variance = Math.max(0, sumSq / width - mean * mean);
        double cx = 0;
        double cy = 0;
        double orientation = 0;
        if (sum > 0) {
            cx = mx / sum;
            cy = my / sum;
            double mu20 = mxx / sum - cx * cx;
            double mu02 = myy / sum - cy * cy;
            double mu11 = mxy / sum - cx * cy;
            orientation = mu20 + mu02 > 0 ? 2 * mu11 / (mu20 + mu02) : 0;
            cx -= (cols - 1) / 2.0;
            cy -= (rows - 1) / 2.0;
        }
        return new double[]{mean, Math.sqrt(variance), (double) ink / width, gradient / width,
                interior == 0 ? 0 : laplacian / interior, cx, cy, orientation, max};
    }
}
