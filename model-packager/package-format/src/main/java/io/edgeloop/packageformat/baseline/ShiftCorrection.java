package io.edgeloop.packageformat.baseline;

import java.util.List;

/**
 * A correction of the ATC accuracy estimate for covariate shift, fitted at packaging time on
 * generic synthetic corruptions of the labelled reference set (noise, blur, contrast, gamma,
 * rotation, zoom, translation, occlusion, ... at several strengths). Each corruption is summarised
 * by its shift signature, the standardised mean shift {@code (mean - baseline mean) / baseline std}
 * of every drift signal ({@link #signals}, the input features then the output margin), and by the
 * ATC estimate's residual there (true accuracy minus estimate). On the device a window's
 * signature is compared with the calibrated ones: the estimate is corrected by the residuals of
 * the nearest, inverse-distance weighted; a window farther from every calibrated signature than
 * {@link #radius}, or beyond the calibrated corruptions' span on any coordinate, is out of range
 * (the estimator has not seen such a shift).
 *
 * @param signals    the signal names, in signature order
 * @param shifts     per calibrated corruption (the clean reference first), its signature (mean
 *                   shifts then spread shifts: twice as many values as signals)
 * @param residuals  per calibrated corruption, true accuracy minus the ATC estimate
 * @param neighbours how many nearest corruptions are averaged
 * @param radius     the largest distance to a calibrated signature the estimate vouches for
 */
public record ShiftCorrection(List<String> signals, double[][] shifts, double[] residuals, int neighbours, double radius) {

    /** Standardised units a window may lie beyond the calibrated span on one coordinate. */
    static final double ENVELOPE_SLACK = 0.5;

    public ShiftCorrection {
        signals = List.copyOf(signals);
        if (shifts.length != residuals.length || shifts.length == 0) {
            throw new IllegalArgumentException(shifts.length + " signatures for " + residuals.length + " residuals");
        }
        for (double[] s : shifts) {
            if (s.length != 2 * signals.size()) {
                throw new IllegalArgumentException("a signature of " + s.length + " values for " + signals.size() + " signals");
            }
        }
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbours must be positive, not " + neighbours);
        }
    }

    /** {@code (mean - baseline mean) / baseline std}: a signature's mean coordinate. */
    public static double meanShift(double mean, FeatureBaseline ref) {
        return (mean - ref.mean()) / Math.max(ref.std(), 1e-9);
    }

    /** {@code ln(std / baseline std)}: a signature's spread coordinate. */
    public static double spreadShift(double std, FeatureBaseline ref) {
        return Math.log(Math.max(std, 1e-9) / Math.max(ref.std(), 1e-9));
    }

    /** The correction at one window's signature. */
    public record Correction(double residual, double spread, double distance, boolean outOfRange) {
    }

    /**
     * The correction for a window whose standardised mean shifts are {@code signature}: the
     * inverse-distance weighted residual of the {@link #neighbours} nearest calibrated signatures,
     * their weighted spread around it, and the distance to the nearest.
     */
    public Correction at(double[] signature) {
        int n = shifts.length;
        int k = Math.min(neighbours, n);
        double[] distance = new double[n];
        for (int i = 0; i < n; i++) {
            double d = 0;
            for (int f = 0; f < signature.length; f++) {
                double e = signature[f] - shifts[i][f];
                d += e * e;
            }
            distance[i] = Math.sqrt(d);
        }
        int[] nearest = new int[k];
        boolean[] taken = new boolean[n];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!taken[i] && (best < 0 || distance[i] < distance[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            nearest[j] = best;
        }
        double weights = 0;
        double sum = 0;
        for (int i : nearest) {
            double w = 1 / Math.max(distance[i], 1e-6);
            weights += w;
            sum += w * residuals[i];
        }
        double residual = sum / weights;
        double spread = 0;
        for (int i : nearest) {
            spread += (1 / Math.max(distance[i], 1e-6)) * Math.abs(residuals[i] - residual);
        }
        double closest = distance[nearest[0]];
        return new Correction(residual, spread / weights, closest, closest > radius || beyondCalibration(signature));
    }

    /**
     * Whether any coordinate of {@code signature} lies outside what the calibrated corruptions
     * spanned on that coordinate, widened by a quarter of that span plus half a baseline standard
     * deviation (so a clean window's sampling noise stays inside): the residuals of the nearest
     * corruptions say nothing of a shift stronger than any of them (an inverted camera moves the
     * mean further than any brightness or gamma change did), however close it is overall.
     */
    boolean beyondCalibration(double[] signature) {
        for (int f = 0; f < signature.length; f++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] s : shifts) {
                min = Math.min(min, s[f]);
                max = Math.max(max, s[f]);
            }
            double margin = 0.25 * (max - min) + ENVELOPE_SLACK;
            if (signature[f] < min - margin || signature[f] > max + margin) {
                return true;
            }
        }
        return false;
    }
}
