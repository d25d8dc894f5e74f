package io.edgeloop.packager.onnx;

import io.edgeloop.packager.onnx.proto.OnnxProto.GraphProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ModelProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.NodeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorShapeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TypeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.HashSet;
import java.util.Set;

/**
 * Builds an ONNX model in code: initializers from Java arrays, nodes with attributes, graph inputs
 * and outputs with a dynamic batch dimension. Used by the DJL exporter, the quantizers' tests and
 * fixtures. Names are checked for uniqueness as they are added, so a wiring mistake fails here
 * rather than inside ONNX Runtime.
 *
 * <pre>{@code
 * GraphBuilder g = new GraphBuilder("mlp", 13);
 * String x = g.input("input", -1, 784);
 * String h = g.relu(g.gemm(x, g.weight("fc1.w", w1, 256, 784), g.weight("fc1.b", b1, 256), true));
 * g.output(g.gemm(h, ..., true), "logits", -1, 10);
 * OnnxModel model = g.toModel();
 * }</pre>
 */
public final class GraphBuilder {
    /** ONNX IR version written; ONNX Runtime 1.24 reads up to 10, exporters commonly write 7–8. */
    public static final long IR_VERSION = 8;
    public static final int MIN_OPSET = 13;
    public static final int MAX_OPSET = 17;
    public static final String BATCH_DIM = "batch";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final int opset;
    private final Set<String> names = new HashSet<>();
    private int counter;

    public GraphBuilder(String graphName, int opset) {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException("opset " + opset + " is outside " + MIN_OPSET + ".." + MAX_OPSET);
        }
        this.opset = opset;
        graph.setName(graphName);
    }

    /** A FLOAT graph input; {@code -1} dimensions are dynamic (the first is named {@code batch}). */
    public String input(String name, long... shape) {
        claim(name);
        graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, shape));
        return name;
    }

    /** Declares {@code tensor} as a FLOAT graph output, renaming it to {@code name} through Identity if needed. */
    public String output(String tensor, String name, long... shape) {
        String out = tensor;
        if (!tensor.equals(name)) {
            out = op("Identity").in(tensor).out(name);
        }
        graph.addOutput(valueInfo(out, TensorProto.DataType.FLOAT_VALUE, shape));
        return out;
    }

    public String weight(String name, float[] values, long... dims) {
        return initializer(Tensors.ofFloats(name, values, dims));
    }

    public String weightInt8(String name, byte[] values, long... dims) {
        return initializer(Tensors.ofInt8(name, values, dims));
    }

    public String weightInt64(String name, long[] values, long... dims) {
        return initializer(Tensors.ofInt64(name, values, dims));
    }

    public String initializer(TensorProto tensor) {
        claim(tensor.getName());
        graph.addInitializer(tensor);
        return tensor.getName();
    }

    /** Starts a node of the default domain; finish it with {@link NodeBuilder#out()}. */
    public NodeBuilder op(String opType) {
        return new NodeBuilder(this, opType);
    }

    // Conveniences for the operators exporters emit most.

    /** {@code Gemm(x, w, b)}; {@code transB} when {@code w} is {@code [out, in]} as PyTorch and DJL store it. */
    public String gemm(String x, String w, String b, boolean transB) {
        NodeBuilder n = op("Gemm").in(x, w, b);
        return (transB ? n.attr("transB", 1) : n).out();
    }

    public String matMul(String a, String b) {
        return op("MatMul").in(a, b).out();
    }

    public String add(String a, String b) {
        return op("Add").in(a, b).out();
    }

    public String sub(String a, String b) {
        return op("Sub").in(a, b).out();
    }

    public String div(String a, String b) {
        return op("Div").in(a, b).out();
    }

    public String relu(String x) {
        return op("Relu").in(x).out();
    }

    public String softmax(String x, int axis) {
        return op("Softmax").in(x).attr("axis", axis).out();
    }

    public String flatten(String x, int axis) {
        return op("Flatten").in(x).attr("axis", axis).out();
    }

    /** Reshape to {@code shape} (a {@code -1} entry is inferred, {@code 0} copies the input dim). */
    public String reshape(String x, long... shape) {
        String s = weightInt64(uniqueName("shape"), shape, shape.length);
        return op("Reshape").in(x, s).out();
    }

    /** 2-D convolution with square kernel {@code k}, stride 1 unless given, symmetric padding {@code pad}. */
    public String conv(String x, String w, String b, int k, int pad, int stride) {
        return op("Conv").in(x, w, b).attr("kernel_shape", k, k).attr("pads", pad, pad, pad, pad)
                .attr("strides", stride, stride).out();
    }

    public String maxPool(String x, int k, int stride) {
        return op("MaxPool").in(x).attr("kernel_shape", k, k).attr("strides", stride, stride).out();
    }

    public ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("edgeloop")
                .setProducerVersion("0.1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph.clone()).build();
    }

    public OnnxModel toModel() {
        return OnnxModel.of(build());
    }

    /** A name not yet used in this graph, {@code prefix_N}. */
    public String uniqueName(String prefix) {
        String name;
        do {
            name = prefix + "_" + counter++;
        } while (names.contains(name));
        return name;
    }

    void addNode(NodeProto node) {
        for (String out : node.getOutputList()) {
            claim(out);
        }
        graph.addNode(node);
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("tensor name '" + name + "' is already used in graph " + graph.getName());
        }
    }

    /** A tensor value-info of unknown shape (e.g. an intermediate tensor exposed as an output). */
    public static ValueInfoProto valueInfoAnyShape(String name, int elemType) {
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType))).build();
    }

    /** A tensor value-info; {@code -1} dims are symbolic ({@code batch} for the first, {@code dN} after). */
    public static ValueInfoProto valueInfo(String name, int elemType, long... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int i = 0; i < shape.length; i++) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (shape[i] < 0) {
                d.setDimParam(i == 0 ? BATCH_DIM : "d" + i);
            } else {
                d.setDimValue(shape[i]);
            }
            s.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))).build();
    }
}
