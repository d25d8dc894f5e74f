package io.edgeloop.packager.pkg;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.protocol.EdgeLoopException;

import java.util.Optional;

/**
 * Makes the int8 variant of a model. The {@code pack} command and the demo take one, so packaging
 * does not depend on how quantization decides per operator.
 */
@FunctionalInterface
public interface Int8Quantizer {

    /**
     * The int8 model, or empty when quantizing does not pay within the quantizer's bounds (it
     * says why on its progress stream).
     *
     * @param calibration data to calibrate activation ranges on
     * @param validation  labelled data to judge candidates on (not the calibration data)
     */
    Optional<OnnxModel> quantize(OnnxModel fp32, Dataset calibration, Dataset validation) throws EdgeLoopException;
}
