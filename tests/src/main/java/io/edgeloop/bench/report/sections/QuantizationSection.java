package io.edgeloop.bench.report.sections;

import io.edgeloop.bench.report.Figures;
import io.edgeloop.bench.report.OutputLines;
import io.edgeloop.bench.report.Prerequisites;
import io.edgeloop.bench.report.Section;
import io.edgeloop.bench.report.SectionContext;
import io.edgeloop.bench.report.Step;
import io.edgeloop.bench.report.StepResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** fp32 vs int8 ({@code QuantizationBenchmark} on the PyTorch-exported reference models). */
public final class QuantizationSection implements Section {
    static final Pattern MODEL = Pattern.compile("== (\\S+) .*");
    static final Pattern TEST_ROW = Pattern.compile(
            "\\s+(\\S+)\\s+accuracy ([\\d.]+)%\\s+p50 (\\d+) us\\s+(\\d+) samples/s\\s+(\\d+) bytes");
    static final String EXPORT = "model-packager/src/test/python/export_reference_models.py";

    @Override
    public String name() {
        return "quantization";
    }

    @Override
    public String title() {
        return "fp32 vs int8";
    }

    @Override
    public String description() {
        return "`QuantizationBenchmark`: the reference Fashion-MNIST MLP and CNN, trained and exported to ONNX by"
                + " python3-torch (`" + EXPORT + "`), through the quantization planner (every int8 plan measured on"
                + " this CPU, one intra-op thread), then fp32 against the chosen int8 model on the full test set:"
                + " accuracy, single-sample p50 (best of 4 rounds), batch-64 throughput from interleaved batches.";
    }

    @Override
    public Optional<String> missing(Prerequisites prerequisites) {
        return prerequisites.torch().or(prerequisites::fashionMnist);
    }

    @Override
    public List<Step> steps(SectionContext context) {
        List<String> export = new ArrayList<>(List.of(Prerequisites.PYTHON.toString(), EXPORT, context.file("models")));
        if (context.quick()) {
            export.addAll(List.of("--epochs", "1", "--train-limit", "10000"));
        }
        return List.of(new Step("export", export, true), new Step("bench", List.of("tests/bench", "QuantizationBenchmark",
                context.file("models/fmnist_mlp.onnx"), context.file("models/fmnist_cnn.onnx")), false));
    }

    @Override
    public Figures figures(List<StepResult> results) {
        List<String> out = results.get(results.size() - 1).stdout();
        List<List<String>> rows = new ArrayList<>();
        List<String> verbatim = new ArrayList<>();
        String model = "?";
        boolean candidates = false;
        for (String line : out) {
            Matcher m = MODEL.matcher(line);
            Matcher t = TEST_ROW.matcher(line);
            if (line.startsWith("CPU:")) {
                verbatim.add(line);
            } else if (m.matches()) {
                model = m.group(1);
                verbatim.add(line);
            } else if (t.matches()) {
                List<String> row = new ArrayList<>(List.of(model));
                row.addAll(OutputLines.groups(t));
                rows.add(row);
            } else if (line.startsWith("  chosen vs fp32:") || line.startsWith("chosen:")) {
                verbatim.add(line);
            }
            candidates = line.startsWith("candidates") || (candidates && line.startsWith("  "));
            if (candidates) {
                verbatim.add(line);
            }
        }
        return new Figures()
                .table(new Figures.Table("full test set (10,000 images), fp32 and the chosen int8 plan", List.of("model",
                        "variant", "accuracy %", "p50 µs", "samples/s (batch 64)", "bytes"), rows))
                .verbatim(verbatim);
    }
}
