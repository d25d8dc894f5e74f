package io.edgeloop.packager.quantize;

import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.Tensors;
import io.edgeloop.packager.onnx.proto.OnnxProto.AttributeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.GraphProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.NodeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic int8 quantization of MatMul and Gemm: weights become int8 initializers, activations are
 * quantized at run time. Emits the pattern ONNX Runtime's own {@code quantize_dynamic} emits and
 * ORT fuses into {@code DynamicQuantizeMatMul}:
 * {@code DynamicQuantizeLinear(x) → MatMulInteger(x_q, W_q, x_zp, W_zp) → Cast → Mul(x_scale·W_scale) → Add(bias)}.
 * No calibration data is needed.
 */
public final class DynamicQuantizer {
    private final boolean perChannel;

    /** @param perChannel one weight scale per output column instead of one per tensor */
    public DynamicQuantizer(boolean perChannel) {
        this.perChannel = perChannel;
    }

    public OnnxModel quantize(OnnxModel model) throws EdgeLoopException {
        GraphProto g = model.graph();
        GraphIndex idx = new GraphIndex(g);
        GraphProto.Builder out = g.toBuilder().clearNode();
        Map<String, String[]> quantizedInputs = new HashMap<>();
        Set<String> removed = new HashSet<>();
        int count = 0;
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (!QdqOptions.DENSE_OPS.contains(n.getOpType()) || !StaticQdqQuantizer.eligible(n, idx)
                    || !biasIsVector(n, idx)) {
                out.addNode(n);
                continue;
            }
            String key = StaticQdqQuantizer.nodeKey(n, i).replaceAll("[^A-Za-z0-9_.]", "_");
            String x = n.getInput(0);
            String[] xq = quantizedInputs.get(x);
            if (xq == null) {
                xq = new String[]{x + "_dyn_q", x + "_dyn_scale", x + "_dyn_zero_point"};
                out.addNode(NodeProto.newBuilder().setOpType("DynamicQuantizeLinear").setName(x + "_DynamicQuantizeLinear")
                        .addInput(x).addOutput(xq[0]).addOutput(xq[1]).addOutput(xq[2]));
                quantizedInputs.put(x, xq);
            }
            TensorProto w = idx.initializers.get(n.getInput(1));
            long[] dims = Tensors.dims(w);
            float[] values = Tensors.toFloats(w);
            boolean transB = n.getOpType().equals("Gemm") && GraphIndex.intAttr(n, "transB", 0) == 1;
            if (transB) {
                // MatMulInteger has no transpose attribute: store W as [in, out].
                values = transpose(values, (int) dims[0], (int) dims[1]);
                dims = new long[]{dims[1], dims[0]};
            }
            Int8Weights q = Int8Weights.quantize(values, dims, perChannel ? 1 : -1);
            long[] sDims = perChannel ? new long[]{dims[1]} : new long[0];
            String wq = key + "_W_quantized";
            out.addInitializer(Tensors.ofInt8(wq, q.values(), dims));
            out.addInitializer(Tensors.ofFloats(wq + "_scale", q.scales(), sDims));
            out.addInitializer(Tensors.ofInt8(wq + "_zero_point", new byte[q.scales().length], sDims));
            if (idx.consumersOf(n.getInput(1)).size() == 1) {
                removed.add(n.getInput(1));
            }
            String y = n.getOutput(0);
            boolean hasBias = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
            out.addNode(node("MatMulInteger", key + "_MatMulInteger", List.of(xq[0], wq, xq[2], wq + "_zero_point"), key + "_int32"));
            out.addNode(NodeProto.newBuilder().setOpType("Cast").setName(key + "_Cast").addInput(key + "_int32")
                    .addOutput(key + "_float").addAttribute(AttributeProto.newBuilder().setName("to")
                            .setType(AttributeProto.AttributeType.INT).setI(TensorProto.DataType.FLOAT_VALUE)));
            out.addNode(node("Mul", key + "_scales_Mul", List.of(xq[1], wq + "_scale"), key + "_scales"));
            out.addNode(node("Mul", key + "_Mul", List.of(key + "_float", key + "_scales"), hasBias ? key + "_unbiased" : y));
            if (hasBias) {
                out.addNode(node("Add", key + "_Add", List.of(key + "_unbiased", n.getInput(2)), y));
            }
            count++;
        }
        if (count == 0) {
            throw new EdgeLoopException(ErrorCode.QUANTIZATION_FAILED, "no MatMul or Gemm node with constant weights to quantize");
        }
        List<TensorProto> kept = new ArrayList<>();
        for (TensorProto t : out.getInitializerList()) {
            if (!removed.contains(t.getName())) {
                kept.add(t);
            }
        }
        out.clearInitializer().addAllInitializer(kept);
        return OnnxModel.of(model.proto().toBuilder().setGraph(out).build());
    }

    private static boolean biasIsVector(NodeProto n, GraphIndex idx) {
        if (n.getInputCount() <= 2 || n.getInput(2).isEmpty()) {
            return true;
        }
        TensorProto b = idx.initializers.get(n.getInput(2));
        return b != null && b.getDimsCount() == 1;
    }

    private static NodeProto node(String op, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).build();
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }
}
