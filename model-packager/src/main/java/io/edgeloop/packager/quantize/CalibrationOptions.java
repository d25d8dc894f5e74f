package io.edgeloop.packager.quantize;

/**
 * How activations are calibrated.
 *
 * @param method     MinMax or percentile
 * @param percentile the high percentile kept for {@link CalibrationMethod#PERCENTILE} (the low one mirrors it)
 * @param samples    calibration samples used at most
 * @param batch      batch size of calibration runs
 */
public record CalibrationOptions(CalibrationMethod method, double percentile, int samples, int batch) {
    public static final double DEFAULT_PERCENTILE = 99.99;
    public static final int DEFAULT_SAMPLES = 512;
    public static final int DEFAULT_BATCH = 64;
    public static final CalibrationOptions DEFAULT =
            new CalibrationOptions(CalibrationMethod.MINMAX, DEFAULT_PERCENTILE, DEFAULT_SAMPLES, DEFAULT_BATCH);

    public CalibrationOptions {
        if (method == null) {
            throw new IllegalArgumentException("calibration method is required");
        }
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (50, 100], not " + percentile);
        }
        if (samples < 1 || batch < 1) {
            throw new IllegalArgumentException("samples and batch must be positive");
        }
    }

    public static CalibrationOptions percentile(double p) {
        return new CalibrationOptions(CalibrationMethod.PERCENTILE, p, DEFAULT_SAMPLES, DEFAULT_BATCH);
    }
}
