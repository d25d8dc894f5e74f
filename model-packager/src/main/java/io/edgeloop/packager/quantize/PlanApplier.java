package io.edgeloop.packager.quantize;

import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.proto.OnnxProto.NodeProto;
import io.edgeloop.protocol.EdgeLoopException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Turns a {@link QuantizationPlan} into a quantized model, given calibrated ranges. */
public final class PlanApplier {
    private final boolean reduceRange;

    /** @param reduceRange 7-bit Conv weights; see {@link io.edgeloop.profiles.probe.CpuFeatures#needsReducedInt8Range()} */
    public PlanApplier(boolean reduceRange) {
        this.reduceRange = reduceRange;
    }

    public OnnxModel apply(QuantizationPlan plan, OnnxModel model, Map<String, ActivationRange> ranges)
            throws EdgeLoopException {
        return switch (plan.kind()) {
            case STATIC_QDQ -> new StaticQdqQuantizer(options(plan)).quantize(model, ranges);
            case DYNAMIC -> new DynamicQuantizer(plan.perChannel()).quantize(model);
        };
    }

    /** Activation tensors a set of plans needs calibrated (the union over their static plans). */
    public Set<String> tensorsToCalibrate(Iterable<QuantizationPlan> plans, OnnxModel model) {
        Set<String> all = new java.util.LinkedHashSet<>();
        for (QuantizationPlan p : plans) {
            if (p.kind() == QuantizationPlan.Kind.STATIC_QDQ) {
                all.addAll(new StaticQdqQuantizer(options(p)).tensorsToCalibrate(model));
            }
        }
        return all;
    }

    /** Each Conv/Gemm/MatMul node of the fp32 model → the precision the plan gives it. */
    public Map<String, String> nodePlan(QuantizationPlan plan, OnnxModel model) {
        Set<String> int8 = new java.util.HashSet<>();
        if (plan != null) {
            QdqOptions o = plan.kind() == QuantizationPlan.Kind.DYNAMIC
                    ? new QdqOptions(QdqOptions.DENSE_OPS, false, false, Set.of()) : options(plan);
            new StaticQdqQuantizer(o).targets(model).forEach(t -> int8.add(t.node()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < model.graph().getNodeCount(); i++) {
            NodeProto n = model.graph().getNode(i);
            if (QdqOptions.SUPPORTED_OPS.contains(n.getOpType())) {
                String key = StaticQdqQuantizer.nodeKey(n, i);
                out.put(key, int8.contains(key) ? "int8" : "fp32");
            }
        }
        return out;
    }

    private QdqOptions options(QuantizationPlan plan) {
        return new QdqOptions(plan.opTypes(), plan.perChannel(), reduceRange, plan.excludedNodes());
    }
}
