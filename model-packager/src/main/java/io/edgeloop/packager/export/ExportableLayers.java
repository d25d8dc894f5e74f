package io.edgeloop.packager.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;

/**
 * The parameter-free DJL blocks that {@link DjlOnnxExporter} knows how to translate. DJL's own
 * lambda blocks are opaque functions, so each one built here carries a name that states the
 * operator and its attributes ({@code onnx:MaxPool:2:2}); the exporter reads that name back.
 * Build networks from these (plus {@code Linear}, {@code Conv2d}) and they export.
 */
public final class ExportableLayers {
    static final String PREFIX = "onnx:";

    private ExportableLayers() {
    }

    public static Block relu() {
        return LambdaBlock.singleton(Activation::relu, PREFIX + "Relu");
    }

    /** Flattens every axis after the batch axis: [N, a, b, ...] to [N, a*b*...]. */
    public static Block flatten() {
        return LambdaBlock.singleton(x -> x.reshape(x.getShape().get(0), -1), PREFIX + "Flatten");
    }

    /** 2-D max pooling with a square kernel and stride, no padding. */
    public static Block maxPool2d(int kernel, int stride) {
        return LambdaBlock.singleton((NDArray x) -> Pool.maxPool2d(x, new Shape(kernel, kernel),
                new Shape(stride, stride), new Shape(0, 0), false), PREFIX + "MaxPool:" + kernel + ":" + stride);
    }
}
