package io.edgeloop.packager.onnx;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.Arrays;

/** Fits flat per-sample feature rows to a model input's declared shape. */
public final class InputShapes {
    private InputShapes() {
    }

    /**
     * The shape of a batch of {@code batch} samples of {@code width} values for {@code input}:
     * the first dimension becomes the batch, one remaining dynamic dimension (if any) absorbs the
     * width, and the product must come out exactly, else the model does not suit the data.
     */
    public static long[] batchShape(TensorInfo input, int batch, int width) throws EdgeLoopException {
        long[] shape = input.shapeArray();
        if (shape.length == 0) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID,
                    "input " + input.name() + " has no declared shape");
        }
        shape[0] = batch;
        long fixed = 1;
        int dynamic = -1;
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] < 0) {
                if (dynamic >= 0) {
                    throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "input " + input.name()
                            + " " + input.shapeText() + " has more than one dynamic non-batch dimension");
                }
                dynamic = i;
            } else {
                fixed *= shape[i];
            }
        }
        if (dynamic >= 0 && fixed > 0 && width % fixed == 0) {
            shape[dynamic] = width / fixed;
            fixed = width;
        }
        if (fixed != width) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "samples of " + width
                    + " values do not fit input " + input.name() + " " + input.shapeText() + " (" + Arrays.toString(shape) + ")");
        }
        return shape;
    }
}
