package io.edgeloop.packager.quantize;

/** How activation ranges are taken from the values seen during calibration. */
public enum CalibrationMethod {
    /** The smallest and largest value seen. */
    MINMAX,
    /** The given low and high percentiles of the values seen; clips rare outliers. */
    PERCENTILE
}
