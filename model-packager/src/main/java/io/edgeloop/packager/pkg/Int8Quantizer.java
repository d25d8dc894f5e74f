package io.edgeloop.packager.pkg;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.protocol.EdgeLoopException;

/**
 * Makes the int8 variant of a model from calibration data. The {@code pack} command takes one,
 * so packaging does not depend on how quantization decides per operator.
 */
@FunctionalInterface
public interface Int8Quantizer {
    OnnxModel quantize(OnnxModel fp32, Dataset calibration) throws EdgeLoopException;
}
