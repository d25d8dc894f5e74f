package io.edgeloop.packager.quantize;

import io.edgeloop.packager.onnx.OnnxModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Proposes the candidate plans {@link QuantizationPlanner} measures. The default proposes every
 * useful subset of the model's quantizable operators; a device profile's recorded choice (from
 * measurements on that device class) can be substituted with {@link #recorded}, so a package built
 * on one machine can carry the plan another device class measured.
 */
@FunctionalInterface
public interface PlanSelector {

    List<QuantizationPlan> candidates(OnnxModel model);

    /** All ops, dense ops only, conv only, per-channel and per-tensor, and dynamic dense. */
    static PlanSelector measureAll() {
        return model -> {
            var census = model.operatorCensus();
            boolean conv = census.containsKey("Conv");
            boolean dense = census.containsKey("Gemm") || census.containsKey("MatMul");
            List<QuantizationPlan> plans = new ArrayList<>();
            if (conv && dense) {
                plans.add(QuantizationPlan.staticQdq("qdq-all", QdqOptions.SUPPORTED_OPS, true));
                plans.add(QuantizationPlan.staticQdq("qdq-conv", Set.of("Conv"), true));
            } else if (conv) {
                plans.add(QuantizationPlan.staticQdq("qdq-conv", Set.of("Conv"), true));
            }
            if (dense) {
                plans.add(QuantizationPlan.staticQdq("qdq-dense", QdqOptions.DENSE_OPS, true));
                plans.add(QuantizationPlan.staticQdq("qdq-dense-per-tensor", QdqOptions.DENSE_OPS, false));
                plans.add(QuantizationPlan.dynamic("dynamic-dense", false));
            }
            return plans;
        };
    }

    /** One static QDQ plan on the given op types, as a device profile recorded it. */
    static PlanSelector recorded(Set<String> opTypes, boolean perChannel) {
        return model -> List.of(QuantizationPlan.staticQdq("recorded-" + String.join("-", new java.util.TreeSet<>(opTypes)).toLowerCase(),
                opTypes, perChannel));
    }
}
