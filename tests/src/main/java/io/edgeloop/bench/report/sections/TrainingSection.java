package io.edgeloop.bench.report.sections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.bench.report.Figures;
import io.edgeloop.bench.report.Prerequisites;
import io.edgeloop.bench.report.Section;
import io.edgeloop.bench.report.SectionContext;
import io.edgeloop.bench.report.Step;
import io.edgeloop.bench.report.StepResult;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** {@code edgeloop train} (DJL/PyTorch) against python3-torch, same setup ({@code tests/bench-training-vs-torch.sh}). */
public final class TrainingSection implements Section {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FIELDS = List.of("model", "epochs", "threads", "edgeloop_train_seconds",
            "torch_train_seconds", "ratio_edgeloop_over_torch", "edgeloop_test_accuracy", "torch_test_accuracy", "verdict");

    @Override
    public String name() {
        return "training";
    }

    @Override
    public String title() {
        return "DJL vs python3-torch training";
    }

    @Override
    public String description() {
        return "`tests/bench-training-vs-torch.sh`: the same architecture, epochs, batch size (128), optimiser (Adam 1e-3,"
                + " cosine decay) and thread count, trained on Fashion-MNIST by `edgeloop train` (DJL/PyTorch) and by"
                + " Debian's python3-torch (`tests/src/main/python/train_reference.py`), back to back; the training seconds"
                + " each side reports (its epochs with their validation passes), test accuracy, and the ratio (goal ≤ 1.0,"
                + " at most 1.3).";
    }

    @Override
    public Optional<String> missing(Prerequisites prerequisites) {
        return prerequisites.torch().or(prerequisites::fashionMnist);
    }

    @Override
    public List<Step> steps(SectionContext context) {
        return List.of(new Step("train", List.of("tests/bench-training-vs-torch.sh", "mlp", context.quick() ? "1" : "5", "2"),
                true));
    }

    @Override
    public Figures figures(List<StepResult> results) {
        List<String> out = results.get(0).stdout();
        int from = out.indexOf("{");
        int to = out.lastIndexOf("}");
        Figures figures = new Figures();
        if (from < 0 || to < from) {
            return figures;
        }
        List<String> json = out.subList(from, to + 1);
        try {
            JsonNode node = JSON.readTree(String.join("\n", json));
            List<String> row = FIELDS.stream().map(f -> node.path(f).asText("")).toList();
            figures.table(new Figures.Table("training seconds and test accuracy", List.of("model", "epochs", "threads",
                    "edgeloop train s", "python3-torch s", "edgeloop / torch", "edgeloop accuracy", "torch accuracy",
                    "verdict"), List.of(row)));
        } catch (IOException e) {
            figures.note("the script's JSON did not parse: " + e.getMessage());
        }
        return figures.verbatim(json);
    }
}
