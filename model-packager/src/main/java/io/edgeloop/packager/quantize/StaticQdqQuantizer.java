package io.edgeloop.packager.quantize;

import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.Tensors;
import io.edgeloop.packager.onnx.proto.OnnxProto.AttributeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.GraphProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ModelProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.NodeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static int8 quantization in the QDQ format: for each chosen Conv/Gemm/MatMul node, the weight
 * becomes an int8 initializer behind a DequantizeLinear (per tensor or per output channel), the
 * bias an int32 initializer with scale {@code s_x * s_w}, and the activations around the node get
 * calibrated uint8 QuantizeLinear/DequantizeLinear pairs. ONNX Runtime fuses such groups into its
 * int8 kernels (QLinearConv, QGemm, MatMulIntegerToFloat); anything it does not fuse still runs,
 * in float on dequantized values. The output QDQ pair goes after a ReLU that directly follows the
 * node, where ORT folds the ReLU into the quantization.
 */
public final class StaticQdqQuantizer {
    private final QdqOptions options;

    public StaticQdqQuantizer(QdqOptions options) {
        this.options = options;
    }

    /** One node chosen for quantization and the activation tensors around it. */
    public record Target(int index, String node, String opType, String input, String output) {
    }

    /** The nodes this quantizer would quantize in {@code model}, in graph order. */
    public List<Target> targets(OnnxModel model) {
        GraphProto g = model.graph();
        GraphIndex idx = new GraphIndex(g);
        List<Target> out = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            String key = nodeKey(n, i);
            if (!options.opTypes().contains(n.getOpType()) || options.excludedNodes().contains(key)
                    || !eligible(n, idx)) {
                continue;
            }
            String x = n.getInput(0);
            String y = n.getOutput(0);
            List<NodeProto> next = idx.consumersOf(y);
            if (next.size() == 1 && next.get(0).getOpType().equals("Relu") && !idx.graphOutputs.contains(y)) {
                y = next.get(0).getOutput(0);
            }
            out.add(new Target(i, key, n.getOpType(), x, idx.graphOutputs.contains(y) ? null : y));
        }
        return out;
    }

    /** The activation tensors that need calibrated ranges for {@link #quantize}. */
    public Set<String> tensorsToCalibrate(OnnxModel model) {
        Set<String> t = new LinkedHashSet<>();
        for (Target target : targets(model)) {
            t.add(target.input());
            if (target.output() != null) {
                t.add(target.output());
            }
        }
        return t;
    }

    public OnnxModel quantize(OnnxModel model, Map<String, ActivationRange> ranges) throws EdgeLoopException {
        if (model.opsetVersion() < 13) {
            throw new EdgeLoopException(ErrorCode.QUANTIZATION_FAILED, "opset " + model.opsetVersion()
                    + " is too old for per-channel QDQ; re-export with opset 13 or later");
        }
        GraphProto g = model.graph();
        GraphIndex idx = new GraphIndex(g);
        Map<Integer, Target> byIndex = new LinkedHashMap<>();
        Set<String> qdq = new HashSet<>();
        for (Target t : targets(model)) {
            if (!ranges.containsKey(t.input())) {
                continue; // never calibrated: leave the node in fp32
            }
            byIndex.put(t.index(), t);
            qdq.add(t.input());
            if (t.output() != null && ranges.containsKey(t.output())) {
                qdq.add(t.output());
            }
        }
        if (byIndex.isEmpty()) {
            throw new EdgeLoopException(ErrorCode.QUANTIZATION_FAILED, "no " + options.opTypes()
                    + " node with constant weights and calibrated inputs to quantize");
        }
        GraphProto.Builder out = g.toBuilder().clearNode();
        Set<String> removed = new HashSet<>();
        Set<String> created = new HashSet<>();
        for (String in : idx.graphInputs) {
            if (qdq.contains(in)) {
                addActivationQdq(out, in, ranges.get(in));
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto.Builder nb = g.getNode(i).toBuilder();
            for (int k = 0; k < nb.getInputCount(); k++) {
                if (qdq.contains(nb.getInput(k))) {
                    nb.setInput(k, nb.getInput(k) + "_dq");
                }
            }
            Target t = byIndex.get(i);
            if (t != null) {
                quantizeWeights(out, nb, g.getNode(i), idx, ranges.get(t.input()), removed, created);
            }
            out.addNode(nb);
            for (String o : g.getNode(i).getOutputList()) {
                if (qdq.contains(o)) {
                    addActivationQdq(out, o, ranges.get(o));
                }
            }
        }
        List<TensorProto> kept = new ArrayList<>();
        for (TensorProto init : out.getInitializerList()) {
            if (!removed.contains(init.getName())) {
                kept.add(init);
            }
        }
        out.clearInitializer().addAllInitializer(kept);
        ModelProto result = model.proto().toBuilder().setGraph(out).build();
        return OnnxModel.of(result);
    }

    private void quantizeWeights(GraphProto.Builder out, NodeProto.Builder nb, NodeProto node, GraphIndex idx,
                                 ActivationRange inputRange, Set<String> removed, Set<String> created) {
        String wName = node.getInput(1);
        if (!created.add(wName)) {
            // A weight shared by two quantized nodes: its DequantizeLinear already precedes this node;
            // the bias stays float here because its scale would depend on this node's input scale.
            nb.setInput(1, wName + "_dq");
            return;
        }
        TensorProto w = idx.initializers.get(wName);
        long[] dims = Tensors.dims(w);
        int axis = options.perChannel() ? weightAxis(node) : -1;
        Int8Weights q = Int8Weights.quantize(Tensors.toFloats(w), dims, axis, options.weightQmax(node.getOpType()));
        String wq = wName + "_quantized";
        long[] scaleDims = axis < 0 ? new long[0] : new long[]{q.scales().length};
        out.addInitializer(Tensors.ofInt8(wq, q.values(), dims));
        out.addInitializer(Tensors.ofFloats(wq + "_scale", q.scales(), scaleDims));
        out.addInitializer(Tensors.ofInt8(wq + "_zero_point", new byte[q.scales().length], scaleDims));
        out.addNode(dequantize(wq, wq + "_scale", wq + "_zero_point", wName + "_dq", axis));
        nb.setInput(1, wName + "_dq");
        if (idx.consumersOf(wName).size() == 1) {
            removed.add(wName);
        }
        if (node.getInputCount() > 2 && !node.getInput(2).isEmpty() && idx.isFloatInitializer(node.getInput(2))
                && created.add(node.getInput(2))) {
            String bName = node.getInput(2);
            TensorProto b = idx.initializers.get(bName);
            if (b.getDimsCount() == 1) {
                float[] bias = Tensors.toFloats(b);
                float[] scales = new float[q.scales().length];
                int[] bq = new int[bias.length];
                for (int c = 0; c < scales.length; c++) {
                    scales[c] = inputRange.scale() * q.scales()[c];
                }
                for (int c = 0; c < bias.length; c++) {
                    double v = Math.rint(bias[c] / scales[axis < 0 ? 0 : c]);
                    bq[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
                }
                String bqName = bName + "_quantized";
                out.addInitializer(Tensors.ofInt32(bqName, bq, bias.length));
                out.addInitializer(Tensors.ofFloats(bqName + "_scale", scales, scaleDims));
                out.addInitializer(Tensors.ofInt32(bqName + "_zero_point", new int[scales.length], scaleDims));
                out.addNode(dequantize(bqName, bqName + "_scale", bqName + "_zero_point", bName + "_dq", axis < 0 ? -1 : 0));
                nb.setInput(2, bName + "_dq");
                if (idx.consumersOf(bName).size() == 1) {
                    removed.add(bName);
                }
            }
        }
    }

    private static void addActivationQdq(GraphProto.Builder out, String tensor, ActivationRange r) {
        String scale = tensor + "_scale";
        String zp = tensor + "_zero_point";
        out.addInitializer(Tensors.ofFloats(scale, new float[]{r.scale()}));
        out.addInitializer(Tensors.ofUint8(zp, new byte[]{(byte) r.zeroPoint()}));
        out.addNode(NodeProto.newBuilder().setOpType("QuantizeLinear").setName(tensor + "_QuantizeLinear")
                .addInput(tensor).addInput(scale).addInput(zp).addOutput(tensor + "_q"));
        out.addNode(dequantize(tensor + "_q", scale, zp, tensor + "_dq", -1));
    }

    static NodeProto dequantize(String in, String scale, String zp, String outName, int axis) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType("DequantizeLinear").setName(outName + "_DequantizeLinear")
                .addInput(in).addInput(scale).addInput(zp).addOutput(outName);
        if (axis >= 0) {
            n.addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(axis));
        }
        return n.build();
    }

    /** The output-channel axis of the weight: Conv and transposed Gemm store [out, in], MatMul [in, out]. */
    static int weightAxis(NodeProto n) {
        return switch (n.getOpType()) {
            case "Conv" -> 0;
            case "Gemm" -> GraphIndex.intAttr(n, "transB", 0) == 1 ? 0 : 1;
            default -> 1;
        };
    }

    static boolean eligible(NodeProto n, GraphIndex idx) {
        if (n.getInputCount() < 2 || idx.initializers.containsKey(n.getInput(0)) || !idx.isFloatInitializer(n.getInput(1))) {
            return false;
        }
        int rank = idx.initializers.get(n.getInput(1)).getDimsCount();
        return switch (n.getOpType()) {
            case "Conv" -> rank >= 3;
            case "Gemm" -> rank == 2 && GraphIndex.intAttr(n, "transA", 0) == 0
                    && GraphIndex.floatAttr(n, "alpha", 1f) == 1f && GraphIndex.floatAttr(n, "beta", 1f) == 1f;
            case "MatMul" -> rank == 2;
            default -> false;
        };
    }

    static String nodeKey(NodeProto n, int index) {
        return n.getName().isEmpty() ? n.getOpType() + "_" + index : n.getName();
    }
}
