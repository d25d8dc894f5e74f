package io.edgeloop.packager.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The JSON object {@code edgeloop eval --json} prints. Classification fills accuracy, macro
 * precision/recall/F1, the confusion matrix and per-class figures; regression fills mse, mae and
 * r2; absent figures are omitted. Latency is single-sample with {@code threads} intra-op threads;
 * throughput is at batch {@code throughput_batch}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"model", "model_sha256", "variant", "dataset", "task", "samples", "accuracy", "precision_macro",
        "recall_macro", "f1_macro", "mse", "mae", "r2", "latency_us_p50", "latency_us_p99", "throughput_per_s",
        "throughput_batch", "threads", "confusion_matrix", "per_class"})
public record EvaluationReport(
        @JsonProperty("model") String model,
        @JsonProperty("model_sha256") String modelSha256,
        @JsonProperty("variant") String variant,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("task") String task,
        @JsonProperty("samples") long samples,
        @JsonProperty("accuracy") Double accuracy,
        @JsonProperty("precision_macro") Double precisionMacro,
        @JsonProperty("recall_macro") Double recallMacro,
        @JsonProperty("f1_macro") Double f1Macro,
        @JsonProperty("mse") Double mse,
        @JsonProperty("mae") Double mae,
        @JsonProperty("r2") Double r2,
        @JsonProperty("latency_us_p50") double latencyUsP50,
        @JsonProperty("latency_us_p99") double latencyUsP99,
        @JsonProperty("throughput_per_s") double throughputPerS,
        @JsonProperty("throughput_batch") int throughputBatch,
        @JsonProperty("threads") int threads,
        @JsonProperty("confusion_matrix") long[][] confusionMatrix,
        @JsonProperty("per_class") List<ClassFigures> perClass) {

    /** One class's figures; {@code support} is its number of true samples. */
    public record ClassFigures(@JsonProperty("class") String name, @JsonProperty("precision") double precision,
                               @JsonProperty("recall") double recall, @JsonProperty("f1") double f1,
                               @JsonProperty("support") long support) {
    }
}
