package io.edgeloop.packager.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.edgeloop.packager.onnx.proto.OnnxProto.ModelProto;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Translates a trained DJL {@link SequentialBlock} of {@code Linear}, {@code Conv2d} and the
 * {@link ExportableLayers} into an ONNX model (opset 13, dynamic batch), with the training
 * split's {@link FeatureScaling} as Sub/Div nodes in front, and checks every export with an
 * {@link ExportCheck}: the same inputs through DJL and ONNX Runtime must agree to
 * {@link ExportCheck#DEFAULT_TOLERANCE}, or the export fails and no file is written.
 *
 * <p>The exported model has one input {@value #INPUT} of shape {@code [N, ...featureShape]}
 * taking raw (unscaled) features, and one output: for classifiers {@value #PROBABILITIES}
 * {@code [N, classes]} (Softmax of the logits; argmax is the class, the maximum is the
 * confidence the agent's drift estimate uses), for regressors {@value #PREDICTION} {@code [N, 1]}.
 */
public final class DjlOnnxExporter {
    public static final String INPUT = "input";
    public static final String PROBABILITIES = "probabilities";
    public static final String PREDICTION = "prediction";

    private final ExportCheck check;

    public DjlOnnxExporter(ExportCheck check) {
        this.check = check;
    }

    /**
     * Exports {@code block} (trained on scaled features of shape {@code featureShape}) to
     * {@code out}; {@code rawSamples} are raw feature rows used for the DJL-vs-ONNX check.
     *
     * @return the check's maximum absolute difference
     */
    public double export(Block block, FeatureScaling scaling, long[] featureShape, boolean classifier,
                         float[] rawSamples, Path out) throws EdgeLoopException {
        ModelProto model = toOnnx(block, scaling, featureShape, classifier);
        double diff = check.verify(model.toByteArray(), block, scaling, featureShape, classifier, rawSamples);
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(out, model.toByteArray());
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot write " + out + ": " + e.getMessage(), e);
        }
        return diff;
    }

    /** Builds the ONNX model without checking it. */
    public ModelProto toOnnx(Block block, FeatureScaling scaling, long[] featureShape, boolean classifier)
            throws EdgeLoopException {
        ExportGraph graph = new ExportGraph("edgeloop");
        graph.input(INPUT, featureShape);
        String x = scale(graph, scaling, featureShape);
        x = emit(graph, block, x);
        Shape batchOne = new Shape(prepend(1, featureShape));
        Shape outShape = block.getOutputShapes(new Shape[] {batchOne})[0];
        long width = outShape.size() / outShape.get(0);
        if (classifier) {
            graph.node("Softmax", new String[] {x}, PROBABILITIES, ExportGraph.integer("axis", 1));
            graph.output(PROBABILITIES, new long[] {width});
        } else {
            graph.node("Identity", new String[] {x}, PREDICTION);
            graph.output(PREDICTION, new long[] {width});
        }
        return graph.build("0.1.0");
    }

    private static String scale(ExportGraph graph, FeatureScaling scaling, long[] featureShape) {
        // Per-feature statistics broadcast along the last axis ([N, F]); a global one is a scalar.
        long[] dims = scaling.isGlobal() ? new long[0] : new long[] {featureShape[featureShape.length - 1]};
        String mean = graph.initializer("scale_mean", scaling.mean(), dims);
        String std = graph.initializer("scale_std", scaling.std(), dims);
        String centered = graph.node("Sub", new String[] {INPUT, mean});
        return graph.node("Div", new String[] {centered, std});
    }

    private static String emit(ExportGraph graph, Block block, String x) throws EdgeLoopException {
        if (block instanceof SequentialBlock sequence) {
            for (Block child : sequence.getChildren().values()) {
                x = emit(graph, child, x);
            }
            return x;
        }
        if (block instanceof Linear) {
            float[][] wb = weightAndBias(block);
            NDArray w = block.getParameters().get("weight").getArray();
            String weight = graph.initializer("fc_w", wb[0], w.getShape().getShape());
            String bias = graph.initializer("fc_b", wb[1], w.getShape().get(0));
            return graph.node("Gemm", new String[] {x, weight, bias}, ExportGraph.integer("transB", 1));
        }
        if (block instanceof Conv2d conv) {
            float[][] wb = weightAndBias(block);
            NDArray w = block.getParameters().get("weight").getArray();
            String weight = graph.initializer("conv_w", wb[0], w.getShape().getShape());
            String bias = graph.initializer("conv_b", wb[1], w.getShape().get(0));
            long[] pad = conv.getPadding().getShape();
            return graph.node("Conv", new String[] {x, weight, bias},
                    ExportGraph.ints("kernel_shape", conv.getKernelShape().getShape()),
                    ExportGraph.ints("strides", conv.getStride().getShape()),
                    ExportGraph.ints("dilations", conv.getDilation().getShape()),
                    ExportGraph.ints("pads", pad[0], pad[1], pad[0], pad[1]),
                    ExportGraph.integer("group", conv.getGroups()));
        }
        if (block instanceof LambdaBlock lambda && lambda.getName().startsWith(ExportableLayers.PREFIX)) {
            String[] spec = lambda.getName().substring(ExportableLayers.PREFIX.length()).split(":");
            return switch (spec[0]) {
                case "Relu" -> graph.node("Relu", new String[] {x});
                case "Flatten" -> graph.node("Flatten", new String[] {x}, ExportGraph.integer("axis", 1));
                case "MaxPool" -> {
                    long k = Long.parseLong(spec[1]);
                    long s = Long.parseLong(spec[2]);
                    yield graph.node("MaxPool", new String[] {x}, ExportGraph.ints("kernel_shape", k, k),
                            ExportGraph.ints("strides", s, s));
                }
                default -> throw unsupported(block);
            };
        }
        throw unsupported(block);
    }

    private static float[][] weightAndBias(Block block) throws EdgeLoopException {
        Parameter weight = block.getParameters().get("weight");
        Parameter bias = block.getParameters().get("bias");
        if (weight == null || bias == null) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, block + " needs a weight and a bias to export");
        }
        return new float[][] {weight.getArray().toFloatArray(), bias.getArray().toFloatArray()};
    }

    private static EdgeLoopException unsupported(Block block) {
        return new EdgeLoopException(ErrorCode.MODEL_INVALID, "cannot export DJL block " + block.getClass().getSimpleName()
                + " (" + block + "); build networks from Linear, Conv2d and ExportableLayers");
    }

    static long[] prepend(long first, long[] rest) {
        long[] out = new long[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
