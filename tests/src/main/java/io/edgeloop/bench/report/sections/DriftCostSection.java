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
import java.util.regex.Pattern;

/** What drift monitoring costs per image and per window, in process ({@code DriftCostBenchmark}). */
public final class DriftCostSection implements Section {
    static final Pattern WINDOW = Pattern.compile(
            "window tests, window\\s+(\\d+): (\\S+) us per window, (\\S+) us per image amortised \\((.*)\\)");

    @Override
    public String name() {
        return "drift-cost";
    }

    @Override
    public String title() {
        return "What drift monitoring costs";
    }

    @Override
    public String description() {
        return "`DriftCostBenchmark`: in process, the image summary features and all of `observe()` per image, and the"
                + " window tests when a window closes (per window and amortised per image), best of the rounds.";
    }

    @Override
    public Optional<String> missing(Prerequisites prerequisites) {
        return Optional.empty();
    }

    @Override
    public List<Step> steps(SectionContext context) {
        List<String> cmd = new ArrayList<>(List.of("tests/bench", "DriftCostBenchmark"));
        if (context.quick()) {
            cmd.addAll(List.of("--images", "20000", "--rounds", "2"));
        }
        return List.of(new Step("bench", cmd, false));
    }

    @Override
    public Figures figures(List<StepResult> results) {
        List<String> out = results.get(0).stdout();
        List<List<String>> rows = new ArrayList<>();
        OutputLines.matching(out, WINDOW).forEach(m -> rows.add(OutputLines.groups(m)));
        return new Figures().table(new Figures.Table("window tests when a window closes", List.of("window",
                "µs per window", "µs per image amortised", "clean windows that drifted"), rows)).verbatim(out);
    }
}
