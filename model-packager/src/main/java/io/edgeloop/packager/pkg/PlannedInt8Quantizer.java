package io.edgeloop.packager.pkg;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.quantize.QuantizationPlanner;
import io.edgeloop.packager.quantize.QuantizationReport;
import io.edgeloop.protocol.EdgeLoopException;

import java.util.Optional;

/**
 * The int8 variant as the quantize package's {@link QuantizationPlanner} chooses it: the fastest
 * candidate plan measured on this host within its accuracy, agreement and size bounds, or none.
 * Keeps the last report so callers can print or record it.
 */
public final class PlannedInt8Quantizer implements Int8Quantizer {
    private final QuantizationPlanner planner;
    private QuantizationReport lastReport;

    public PlannedInt8Quantizer(QuantizationPlanner planner) {
        this.planner = planner;
    }

    @Override
    public Optional<OnnxModel> quantize(OnnxModel fp32, Dataset calibration, Dataset validation) throws EdgeLoopException {
        QuantizationPlanner.Result result = planner.plan("model", fp32, calibration, validation);
        lastReport = result.report();
        return result.report().quantized() ? Optional.of(result.model()) : Optional.empty();
    }

    /** The report of the last {@link #quantize} call, or empty before the first. */
    public Optional<QuantizationReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }
}
