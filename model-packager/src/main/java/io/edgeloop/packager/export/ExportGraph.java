package io.edgeloop.packager.export;

import com.google.protobuf.ByteString;
import io.edgeloop.packager.onnx.proto.OnnxProto.AttributeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.GraphProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ModelProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.NodeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorShapeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TypeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The exporter's thin layer over the ONNX protobuf messages: adds float initializers and nodes
 * with fresh tensor names, and wraps the graph in a model with one float input and output whose
 * first axis is a symbolic batch dimension.
 */
final class ExportGraph {
    static final int OPSET = 13;
    static final int IR_VERSION = 8;
    static final String BATCH = "N";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int counter;

    ExportGraph(String name) {
        graph.setName(name);
    }

    /** Adds a float constant of the given shape; returns its tensor name. */
    String initializer(String hint, float[] values, long... dims) {
        String name = hint + "_" + (counter++);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Adds a node with one output and the given attributes; returns the output's name. */
    String node(String op, String[] inputs, AttributeProto... attributes) {
        String out = op.toLowerCase() + "_" + (counter++);
        return node(op, inputs, out, attributes);
    }

    /** Adds a node writing {@code output}. */
    String node(String op, String[] inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + (counter++)).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return output;
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    void input(String name, long[] sampleShape) {
        graph.addInput(valueInfo(name, sampleShape));
    }

    void output(String name, long[] sampleShape) {
        graph.addOutput(valueInfo(name, sampleShape));
    }

    ModelProto build(String producerVersion) {
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("edgeloop-djl-export")
                .setProducerVersion(producerVersion)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph).build();
    }

    private static ValueInfoProto valueInfo(String name, long[] sampleShape) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : sampleShape) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
