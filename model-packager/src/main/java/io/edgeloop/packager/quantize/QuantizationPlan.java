package io.edgeloop.packager.quantize;

import java.util.Set;

/**
 * One way to quantize a model: which operator types become int8 and how.
 *
 * @param name       short id used in reports, e.g. {@code qdq-dense}
 * @param kind       static QDQ (calibrated) or dynamic (activations quantized at run time)
 * @param opTypes    operator types quantized
 * @param perChannel per-output-channel weight scales
 * @param excludedNodes nodes of those types kept in fp32 (per-node subsets)
 */
public record QuantizationPlan(String name, Kind kind, Set<String> opTypes, boolean perChannel, Set<String> excludedNodes) {

    /** The two quantization formats this packager writes. */
    public enum Kind { STATIC_QDQ, DYNAMIC }

    public QuantizationPlan {
        opTypes = Set.copyOf(opTypes);
        excludedNodes = Set.copyOf(excludedNodes);
    }

    public static QuantizationPlan staticQdq(String name, Set<String> opTypes, boolean perChannel) {
        return new QuantizationPlan(name, Kind.STATIC_QDQ, opTypes, perChannel, Set.of());
    }

    public static QuantizationPlan dynamic(String name, boolean perChannel) {
        return new QuantizationPlan(name, Kind.DYNAMIC, QdqOptions.DENSE_OPS, perChannel, Set.of());
    }

    public String describe() {
        return (kind == Kind.STATIC_QDQ ? "static QDQ" : "dynamic") + " int8 on " + new java.util.TreeSet<>(opTypes)
                + (excludedNodes.isEmpty() ? "" : " except " + new java.util.TreeSet<>(excludedNodes))
                + (perChannel ? ", per-channel weights" : ", per-tensor weights");
    }
}
