package io.edgeloop.packager.onnx;

import com.google.protobuf.ByteString;
import io.edgeloop.packager.onnx.proto.OnnxProto.AttributeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.NodeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One node under construction in a {@link GraphBuilder}: inputs, attributes, then {@link #out()}
 * adds it to the graph and returns the output tensor's name.
 */
public final class NodeBuilder {
    private final GraphBuilder graph;
    private final NodeProto.Builder node = NodeProto.newBuilder();

    NodeBuilder(GraphBuilder graph, String opType) {
        this.graph = graph;
        node.setOpType(opType);
    }

    /** Input tensor names; {@code ""} marks an omitted optional input. */
    public NodeBuilder in(String... inputs) {
        for (String i : inputs) {
            node.addInput(i);
        }
        return this;
    }

    public NodeBuilder name(String name) {
        node.setName(name);
        return this;
    }

    /** Operator domain, e.g. {@code com.microsoft}; the model must import it. */
    public NodeBuilder domain(String domain) {
        node.setDomain(domain);
        return this;
    }

    public NodeBuilder attr(String name, long value) {
        node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value));
        return this;
    }

    public NodeBuilder attr(String name, float value) {
        node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value));
        return this;
    }

    public NodeBuilder attr(String name, String value) {
        node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)));
        return this;
    }

    /** An INTS attribute ({@code kernel_shape}, {@code pads}, {@code strides}, {@code perm}). */
    public NodeBuilder attr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        node.addAttribute(a);
        return this;
    }

    public NodeBuilder attrFloats(String name, float... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        node.addAttribute(a);
        return this;
    }

    public NodeBuilder attr(String name, TensorProto value) {
        node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value));
        return this;
    }

    /** Adds the node with one output named {@code <opType>_N}; returns that name. */
    public String out() {
        return out(graph.uniqueName(node.getOpType().toLowerCase()));
    }

    /** Adds the node with one output of the given name; returns it. */
    public String out(String output) {
        return outs(output).get(0);
    }

    /** Adds the node with the given outputs; returns them. */
    public List<String> outs(String... outputs) {
        for (String o : outputs) {
            node.addOutput(o);
        }
        if (!node.hasName()) {
            node.setName(graph.uniqueName(node.getOpType()));
        }
        graph.addNode(node.build());
        return new ArrayList<>(List.of(outputs));
    }
}
