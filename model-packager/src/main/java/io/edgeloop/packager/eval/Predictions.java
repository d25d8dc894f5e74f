package io.edgeloop.packager.eval;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.InputShapes;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.TensorInfo;
import io.edgeloop.protocol.EdgeLoopException;

/** Runs a model over a whole dataset in batches and turns outputs into predictions. */
public final class Predictions {
    private Predictions() {
    }

    /** The first output for every sample, one row each, in dataset order. */
    public static float[][] outputs(OrtRunner runner, TensorInfo input, Dataset data, int batch) throws EdgeLoopException {
        int width = data.width();
        float[][] out = new float[data.size()][];
        for (int start = 0; start < data.size(); start += batch) {
            int n = Math.min(batch, data.size() - start);
            float[] x = new float[n * width];
            System.arraycopy(data.features(), start * width, x, 0, n * width);
            float[][] rows = runner.run(x, InputShapes.batchShape(input, n, width));
            System.arraycopy(rows, 0, out, start, n);
        }
        return out;
    }

    public static int[] argmax(float[][] rows) {
        int[] out = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            float[] v = rows[r];
            int best = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] > v[best]) {
                    best = i;
                }
            }
            out[r] = best;
        }
        return out;
    }

    /** Fraction of positions where both arrays hold the same class. */
    public static double agreement(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " vs " + b.length + " predictions");
        }
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return a.length == 0 ? 1 : (double) same / a.length;
    }

    public static int[] labels(Dataset data) {
        int[] y = new int[data.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = data.label(i);
        }
        return y;
    }
}
