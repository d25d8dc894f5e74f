package io.edgeloop.packager.pkg;

import io.edgeloop.packager.data.Dataset;

import java.util.stream.IntStream;

/**
 * Disjoint calibration and validation slices of one dataset for quantization: the quantizer
 * calibrates on the first rows and judges its candidates on the next ones, so neither the
 * choice nor the package's reported metrics (measured on the reference set) see the same samples.
 */
public record CalibrationSplit(Dataset calibration, Dataset validation) {

    public static CalibrationSplit of(Dataset data, int calibrationSamples, int validationSamples) {
        int calibrationEnd = Math.min(calibrationSamples, data.size() / 2);
        int validationEnd = Math.min(data.size(), calibrationEnd + validationSamples);
        return new CalibrationSplit(
                data.select(IntStream.range(0, calibrationEnd).toArray(), data.name() + "[0:" + calibrationEnd + "]"),
                data.select(IntStream.range(calibrationEnd, validationEnd).toArray(),
                        data.name() + "[" + calibrationEnd + ":" + validationEnd + "]"));
    }
}
