package io.edgeloop.packager.pkg;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.quantize.ActivationRange;
import io.edgeloop.packager.quantize.CalibrationOptions;
import io.edgeloop.packager.quantize.Calibrator;
import io.edgeloop.packager.quantize.QdqOptions;
import io.edgeloop.packager.quantize.StaticQdqQuantizer;
import io.edgeloop.protocol.EdgeLoopException;

import java.io.PrintStream;
import java.util.Map;

/**
 * The int8 variant as static QDQ on the dense layers (Gemm, MatMul) with per-channel weights,
 * calibrated on the given data: the recipe DESIGN.md measured to pay on CPUs (convolutions stay
 * fp32, where the full static recipe made a small CNN slower). Stands in for the quantize
 * package's per-operator planner until that is wired into {@code pack}.
 */
public final class DenseInt8Quantizer implements Int8Quantizer {
    private final CalibrationOptions calibration;
    private final PrintStream progress;

    public DenseInt8Quantizer(CalibrationOptions calibration, PrintStream progress) {
        this.calibration = calibration;
        this.progress = progress;
    }

    @Override
    public OnnxModel quantize(OnnxModel fp32, Dataset data) throws EdgeLoopException {
        StaticQdqQuantizer quantizer = new StaticQdqQuantizer(QdqOptions.of(QdqOptions.DENSE_OPS, QdqOptions.DEFAULT_PER_CHANNEL));
        Map<String, ActivationRange> ranges = new Calibrator(calibration, progress)
                .calibrate(fp32, quantizer.tensorsToCalibrate(fp32), data);
        return quantizer.quantize(fp32, ranges);
    }
}
