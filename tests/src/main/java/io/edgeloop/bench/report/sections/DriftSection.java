package io.edgeloop.bench.report.sections;

import io.edgeloop.bench.report.Figures;
import io.edgeloop.bench.report.OutputLines;
import io.edgeloop.bench.report.Prerequisites;
import io.edgeloop.bench.report.Section;
import io.edgeloop.bench.report.SectionContext;
import io.edgeloop.bench.report.Step;
import io.edgeloop.bench.report.StepResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drift alarms and the accuracy estimate beside the Alibi-Detect recipe ({@code DriftBenchmark}). */
public final class DriftSection implements Section {
    /** kind, window, n, cost pp, ours %, peer %, true acc, estimate, ATC MAE, conf MAE, OOR %, MAE in range. */
    static final Pattern ROW = Pattern.compile("(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(-?[\\d.]+)\\s+([\\d.]+)%\\s+([\\d.]+)%\\s+"
            + "([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+(\\d+)%\\s+(\\S+)");

    @Override
    public String name() {
        return "drift";
    }

    @Override
    public String title() {
        return "Drift detection, with the peer column";
    }

    @Override
    public String description() {
        return "`DriftBenchmark`: a CNN trained by `edgeloop train`, packed on Fashion-MNIST test images 0-4999 and"
                + " served by a real agent process; seeded clean and shifted windows of test images 5000-9999 go through"
                + " the KServe v2 API and each window is closed with `?flush=true`. Beside the agent's verdict, the peer"
                + " column scores the Alibi-Detect recipe on the same windows and features (KS with Bonferroni at 0.05"
                + " plus chi-square on the predicted classes at 0.05). Detection rate per window size (for clean"
                + " windows: the false-alarm rate) and the label-free accuracy estimate at window 500.";
    }

    @Override
    public Optional<String> missing(Prerequisites prerequisites) {
        return prerequisites.fashionMnist();
    }

    @Override
    public List<Step> steps(SectionContext context) {
        List<Step> steps = new ArrayList<>();
        String model;
        if (context.driftModel() != null) {
            model = context.driftModel().toString();
        } else {
            steps.add(new Step("train-cnn", List.of("./edgeloop", "train", "--dataset", "fashion-mnist", "--model", "cnn",
                    "--epochs", context.quick() ? "1" : "5", "--out", context.file("cnn"), "--data-dir",
                    context.file("runs")), true));
            model = context.file("cnn/model.onnx");
        }
        List<String> bench = new ArrayList<>(List.of("tests/bench", "DriftBenchmark", "--model", model));
        if (context.quick()) {
            bench.addAll(List.of("--clean-windows", "20,20,10,4", "--shift-windows", "4,4,4,2", "--feedback-windows", "1"));
        }
        steps.add(new Step("bench", bench, false));
        return steps;
    }

    @Override
    public Figures figures(List<StepResult> results) {
        List<String> out = results.get(results.size() - 1).stdout();
        Map<String, List<List<String>>> byKind = new LinkedHashMap<>();
        List<Matcher> matches = OutputLines.matching(out, ROW);
        matches.forEach(m -> byKind.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(OutputLines.groups(m)));
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, List<List<String>>> e : byKind.entrySet()) {
            List<List<String>> windows = e.getValue();
            List<String> last = windows.get(windows.size() - 1);
            rows.add(List.of(e.getKey(), last.get(3), join(windows, 4, "%"), join(windows, 5, "%"), join(windows, 2, ""),
                    last.get(6), last.get(7), last.get(8), last.get(10) + "%"));
        }
        List<String> header = List.of("kind", "accuracy cost pp (largest window)",
                "ours " + join(byKind.isEmpty() ? List.of() : byKind.values().iterator().next(), 1, ""),
                "peer, same windows", "windows per size", "true accuracy (largest)", "estimate (largest)",
                "estimate MAE (largest)", "out of range (largest)");
        List<String> verbatim = new ArrayList<>();
        if (results.size() > 1) {
            verbatim.addAll(OutputLines.startingWith(results.get(0).stdout(), "run "));
        }
        verbatim.addAll(OutputLines.startingWith(out, "DriftBenchmark:"));
        verbatim.addAll(OutputLines.startingWith(out, "kind            window"));
        matches.forEach(m -> verbatim.add(m.group()));
        verbatim.addAll(OutputLines.startingWith(out, "ATC mean absolute error"));
        return new Figures().table(new Figures.Table("detection rate per window size, ours and the peer's (clean rows:"
                + " false-alarm rate)", header, rows)).verbatim(verbatim);
    }

    /** The column {@code index} of every window size, joined with " / ". */
    private static String join(List<List<String>> windows, int index, String suffix) {
        List<String> cells = windows.stream().map(w -> w.get(index) + suffix).toList();
        return String.join(" / ", cells);
    }
}
