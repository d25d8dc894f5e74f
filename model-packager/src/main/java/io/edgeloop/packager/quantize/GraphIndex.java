package io.edgeloop.packager.quantize;

import io.edgeloop.packager.onnx.proto.OnnxProto.AttributeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.GraphProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.NodeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Lookups over one graph that rewriters need: initializers, consumers, graph outputs, attributes. */
final class GraphIndex {
    final Map<String, TensorProto> initializers = new HashMap<>();
    final Map<String, List<NodeProto>> consumers = new HashMap<>();
    final Set<String> graphOutputs = new HashSet<>();
    final Set<String> graphInputs = new HashSet<>();

    GraphIndex(GraphProto g) {
        g.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        g.getOutputList().forEach(o -> graphOutputs.add(o.getName()));
        for (ValueInfoProto v : g.getInputList()) {
            if (!initializers.containsKey(v.getName())) {
                graphInputs.add(v.getName());
            }
        }
    }

    List<NodeProto> consumersOf(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    boolean isFloatInitializer(String name) {
        TensorProto t = initializers.get(name);
        return t != null && t.getDataType() == TensorProto.DataType.FLOAT_VALUE;
    }

    static long intAttr(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    static float floatAttr(NodeProto n, String name, float dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }
}
