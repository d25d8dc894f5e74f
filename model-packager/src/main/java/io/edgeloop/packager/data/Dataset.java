package io.edgeloop.packager.data;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory dataset: one row of {@code float} features per sample, laid out row-major in one
 * array, plus a label per sample. Classification datasets carry integer class labels and class
 * names; regression datasets carry numeric targets and no class names.
 *
 * @param name        what it is, e.g. {@code fashion-mnist:test}
 * @param features    row-major features, {@code samples * featureShape-product} values
 * @param featureShape shape of one sample, e.g. {@code [1, 28, 28]} or {@code [12]}
 * @param targets     the label of each sample (a class index for classification)
 * @param classNames  class names by index; empty for regression
 * @param featureNames one name per feature column (tabular data); empty for images
 */
public record Dataset(String name, float[] features, long[] featureShape, float[] targets,
                      List<String> classNames, List<String> featureNames) {

    public Dataset {
        Objects.requireNonNull(name, "name");
        classNames = List.copyOf(classNames);
        featureNames = List.copyOf(featureNames);
        long width = 1;
        for (long d : featureShape) {
            width *= d;
        }
        if (features.length != targets.length * width) {
            throw new IllegalArgumentException(name + ": " + features.length + " feature values do not fill "
                    + targets.length + " samples of " + width);
        }
    }

    public int size() {
        return targets.length;
    }

    /** Number of feature values per sample. */
    public int width() {
        return targets.length == 0 ? (int) product(featureShape) : features.length / targets.length;
    }

    public boolean isClassification() {
        return !classNames.isEmpty();
    }

    public int label(int row) {
        return (int) targets[row];
    }

    /** Copies sample {@code row}'s features into {@code out} at {@code offset}. */
    public void copyRow(int row, float[] out, int offset) {
        int w = width();
        System.arraycopy(features, row * w, out, offset, w);
    }

    /** The samples at the given rows, in that order, as a new dataset. */
    public Dataset select(int[] rows, String newName) {
        int w = width();
        float[] f = new float[rows.length * w];
        float[] t = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * w, f, i * w, w);
            t[i] = targets[rows[i]];
        }
        return new Dataset(newName, f, featureShape.clone(), t, classNames, featureNames);
    }

    /** The first {@code n} samples (all when n exceeds the size). */
    public Dataset head(int n) {
        int k = Math.min(n, size());
        int[] rows = new int[k];
        for (int i = 0; i < k; i++) {
            rows[i] = i;
        }
        return select(rows, name + "[0:" + k + "]");
    }

    static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return p;
    }
}
