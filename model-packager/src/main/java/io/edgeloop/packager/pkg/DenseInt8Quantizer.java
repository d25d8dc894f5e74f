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
import java.util.Optional;

/**
 * The int8 variant as static QDQ on the dense layers (Gemm, MatMul) with per-channel weights,
 * calibrated on the given data: the recipe measured to pay on CPUs (README.md, "Architecture";
 * convolutions stay fp32, where the full static recipe made a small CNN slower). Unlike {@link PlannedInt8Quantizer}
 * it does not measure whether int8 pays on this host: {@code pack --int8-recipe dense} uses it to
 * ship an int8 variant for int8 device classes whatever this host measures.
 */
public final class DenseInt8Quantizer implements Int8Quantizer {
    private final CalibrationOptions calibration;
    private final PrintStream progress;

    public DenseInt8Quantizer(CalibrationOptions calibration, PrintStream progress) {
        this.calibration = calibration;
        this.progress = progress;
    }

    @Override
    public Optional<OnnxModel> quantize(OnnxModel fp32, Dataset data, Dataset validation) throws EdgeLoopException {
        StaticQdqQuantizer quantizer = new StaticQdqQuantizer(QdqOptions.of(QdqOptions.DENSE_OPS, QdqOptions.DEFAULT_PER_CHANNEL));
        Map<String, ActivationRange> ranges = new Calibrator(calibration, progress)
                .calibrate(fp32, quantizer.tensorsToCalibrate(fp32), data);
        return Optional.of(quantizer.quantize(fp32, ranges));
    }
}
