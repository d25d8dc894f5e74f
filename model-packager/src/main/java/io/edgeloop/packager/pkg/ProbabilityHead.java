package io.edgeloop.packager.pkg;

import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.proto.OnnxProto.AttributeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.GraphProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ModelProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.NodeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Makes a classifier's packaged output class probabilities. Packages promise probabilities, so
 * the agent's confidence and drift statistics mean the same thing as the baseline's whatever the
 * exporter emitted; a model that ends in logits gets a Softmax over its last axis.
 */
final class ProbabilityHead {
    static final String OUTPUT = "probabilities";
    private static final double SUM_TOLERANCE = 1e-3;

    private ProbabilityHead() {
    }

    /** True when every row is non-negative and sums to 1: already probabilities. */
    static boolean looksLikeProbabilities(float[] flat, int classes) {
        for (int row = 0; row < flat.length / classes; row++) {
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                float v = flat[row * classes + k];
                if (v < 0) {
                    return false;
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    /** The model with a Softmax appended to its first output, which is renamed {@value #OUTPUT}. */
    static OnnxModel appendSoftmax(OnnxModel model) {
        GraphProto graph = model.graph();
        ValueInfoProto logits = graph.getOutput(0);
        String name = OUTPUT;
        while (isTensorName(graph, name)) {
            name = "_" + name;
        }
        NodeProto softmax = NodeProto.newBuilder().setOpType("Softmax").setName("edgeloop_softmax")
                .addInput(logits.getName()).addOutput(name)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(-1))
                .build();
        GraphProto.Builder g = graph.toBuilder().addNode(softmax)
                .setOutput(0, logits.toBuilder().setName(name));
        ModelProto proto = model.proto().toBuilder().setGraph(g).build();
        return OnnxModel.of(proto);
    }

    private static boolean isTensorName(GraphProto graph, String name) {
        return graph.getNodeList().stream().anyMatch(n -> n.getOutputList().contains(name))
                || graph.getInputList().stream().anyMatch(i -> i.getName().equals(name))
                || graph.getInitializerList().stream().anyMatch(i -> i.getName().equals(name));
    }
}
