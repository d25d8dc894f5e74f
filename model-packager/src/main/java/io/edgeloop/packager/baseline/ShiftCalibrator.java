package io.edgeloop.packager.baseline;

import io.edgeloop.packageformat.baseline.AccuracyCalibration;
import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.FeatureBaseline;
import io.edgeloop.packageformat.baseline.InputSummary;
import io.edgeloop.packageformat.baseline.OutputScores;
import io.edgeloop.packageformat.baseline.ShiftCorrection;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.protocol.EdgeLoopException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fits a {@link ShiftCorrection} for an image model's ATC estimate: the labelled reference rows,
 * corrupted by each of {@link ImageCorruptions#all()}, are run through the model; per corruption
 * the shift signature (standardised mean shift of every drift signal against the baseline) and
 * the ATC estimate's residual (true accuracy minus estimate) are kept. The radius the device
 * vouches for is the largest distance from a calibrated signature to its nearest other one.
 */
public final class ShiftCalibrator {
    /** Calibrated corruptions averaged on the device. */
    static final int NEIGHBOURS = 2;

    /** The model's class probabilities for {@code rows} inputs laid out flat. */
    public interface Scorer {
        float[][] probabilities(float[] features, int rows) throws EdgeLoopException;
    }

    private ShiftCalibrator() {
    }

    /**
     * {@code baseline} with a shift correction in its calibration, fitted on up to {@code maxRows}
     * labelled rows of {@code data}; unchanged for tabular data, non-square inputs or a baseline
     * without calibration.
     */
    public static DriftBaseline withCorrection(DriftBaseline baseline, Dataset data, Scorer scorer, int maxRows, long seed)
            throws EdgeLoopException {
        AccuracyCalibration calibration = baseline.outputs().calibration();
        int width = data.width();
        int side = (int) Math.round(Math.sqrt(width));
        FeatureBaseline margin = baseline.outputs().margin();
        if (baseline.tabular() || calibration == null || side * side != width || margin == null || !data.isClassification()) {
            return baseline;
        }
        List<Integer> labelled = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (data.label(i) >= 0) {
                labelled.add(i);
            }
        }
        SplittableRandom pick = new SplittableRandom(seed);
        for (int i = labelled.size() - 1; i > 0; i--) {
            int j = pick.nextInt(i + 1);
            Integer t = labelled.get(i);
            labelled.set(i, labelled.get(j));
            labelled.set(j, t);
        }
        int rows = Math.min(maxRows, labelled.size());
        float[] clean = new float[rows * width];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            data.copyRow(labelled.get(r), clean, r * width);
            labels[r] = data.label(labelled.get(r));
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : data.features()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        InputSummary summary = baseline.summary();
        List<String> signals = new ArrayList<>();
        baseline.inputs().forEach(f -> signals.add(f.name()));
        signals.add(margin.name());
        List<double[]> shifts = new ArrayList<>();
        List<Double> residuals = new ArrayList<>();
        List<ImageCorruptions.Corruption> corruptions = new ArrayList<>();
        corruptions.add(new ImageCorruptions.Corruption("clean", (x, s, l, h, r) -> { }));
        corruptions.addAll(ImageCorruptions.all());
        int classes = baseline.outputs().classes().size();
        for (int c = 0; c < corruptions.size(); c++) {
            float[] x = clean.clone();
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + c);
            float[] image = new float[width];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, r * width, image, 0, width);
                corruptions.get(c).op().apply(image, side, lo, hi, random);
                System.arraycopy(image, 0, x, r * width, width);
            }
            float[][] p = scorer.probabilities(x, rows);
            double[] sums = new double[signals.size()];
            double[] squares = new double[signals.size()];
            long counted = 0;
            long correct = 0;
            double[] logp = new double[classes];
            for (int r = 0; r < rows; r++) {
                double[] features = summary.summarize(x, r * width, width);
                for (int f = 0; f < features.length; f++) {
                    sums[f] += features[f];
                    squares[f] += features[f] * features[f];
                }
                OutputScores.logProbabilities(p[r], 0, classes, logp);
                double m = OutputScores.margin(logp);
                sums[features.length] += m;
                squares[features.length] += m * m;
                if (calibration.counts(calibration.score(logp))) {
                    counted++;
                }
                int top = 0;
                for (int k = 1; k < classes; k++) {
                    if (p[r][k] > p[r][top]) {
                        top = k;
                    }
                }
                if (top == labels[r]) {
                    correct++;
                }
            }
            double[] signature = new double[2 * signals.size()];
            for (int f = 0; f < signals.size(); f++) {
                FeatureBaseline ref = f < baseline.inputs().size() ? baseline.inputs().get(f) : margin;
                double mean = sums[f] / rows;
                double std = Math.sqrt(Math.max(0, squares[f] / rows - mean * mean));
                signature[f] = ShiftCorrection.meanShift(mean, ref);
                signature[signals.size() + f] = ShiftCorrection.spreadShift(std, ref);
            }
            shifts.add(signature);
            residuals.add((double) (correct - counted) / rows);
        }
        double[][] points = shifts.toArray(new double[0][]);
        double[] residual = residuals.stream().mapToDouble(Double::doubleValue).toArray();
        double radius = radius(signals, points, residual);
        ShiftCorrection correction = new ShiftCorrection(signals, points, residual, NEIGHBOURS, radius);
        return baseline.withOutputs(baseline.outputs().withCalibration(calibration.withCorrection(correction)));
    }

    /** Leave-one-out error above which interpolating between calibrated corruptions is not trusted. */
    static final double TOLERANCE = 0.05;

    /**
     * How far from the calibrated signatures the estimate is vouched for, by leave-one-out: each
     * corruption's residual is predicted from the others, at its distance to the nearest other.
     * The radius is the largest such distance at which the prediction erred by at most
     * {@link #TOLERANCE}: the widest gap over which interpolating between calibrated corruptions
     * was seen to work (0 when it never did).
     */
    static double radius(List<String> signals, double[][] points, double[] residuals) {
        int n = points.length;
        if (n < 3) {
            return 0;
        }
        double largest = 0;
        for (int i = 0; i < n; i++) {
            double[][] others = new double[n - 1][];
            double[] rest = new double[n - 1];
            for (int j = 0, k = 0; j < n; j++) {
                if (j != i) {
                    others[k] = points[j];
                    rest[k++] = residuals[j];
                }
            }
            ShiftCorrection.Correction c = new ShiftCorrection(signals, others, rest, NEIGHBOURS, Double.POSITIVE_INFINITY)
                    .at(points[i]);
            if (Math.abs(c.residual() - residuals[i]) <= TOLERANCE) {
                largest = Math.max(largest, c.distance());
            }
        }
        return largest;
    }

    private static double distance(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(d);
    }
}
