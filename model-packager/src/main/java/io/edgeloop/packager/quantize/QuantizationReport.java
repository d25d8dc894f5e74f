package io.edgeloop.packager.quantize;

import java.util.List;
import java.util.Map;

/**
 * What quantization did to one model: fp32 and every candidate measured, the chosen plan (or
 * {@code fp32} when no int8 plan was faster within the bounds) and each quantizable node's
 * resulting precision. Serialises to JSON as is.
 *
 * @param chosen    the chosen plan's name, or {@code fp32}
 * @param nodePlan  node name → {@code int8} or {@code fp32}, for Conv/Gemm/MatMul nodes
 * @param cpu       where the timings were taken (figures are only valid for that CPU)
 */
public record QuantizationReport(String model, String validation, int batch, int threads, String cpu,
                                 CandidateResult fp32, List<CandidateResult> candidates, String chosen,
                                 Map<String, String> nodePlan, String summary) {

    public QuantizationReport {
        candidates = List.copyOf(candidates);
        nodePlan = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nodePlan)); // graph order
    }

    /** The chosen candidate's figures (fp32's when nothing was chosen). */
    public CandidateResult chosenResult() {
        return candidates.stream().filter(c -> c.plan().equals(chosen)).findFirst().orElse(fp32);
    }

    public boolean quantized() {
        return !chosen.equals("fp32");
    }
}
