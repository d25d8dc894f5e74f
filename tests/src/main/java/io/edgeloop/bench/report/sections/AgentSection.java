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

/** Raw in-process ONNX Runtime against the agent's KServe v2 HTTP path ({@code AgentBenchmark}). */
public final class AgentSection implements Section {
    static final Pattern ROW = Pattern.compile(
            "(mlp|cnn)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(-?\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)");

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String title() {
        return "Raw ONNX Runtime vs the agent's HTTP path";
    }

    @Override
    public String description() {
        return "`AgentBenchmark`: a Fashion-MNIST-shaped MLP and CNN (seeded weights), single-request latency of an"
                + " in-process ONNX Runtime `session.run` with the agent's session settings beside the same model served"
                + " by a real agent process over KServe v2 HTTP (JSON, one image per request); throughput with 16"
                + " concurrent clients and dynamic batching; start-to-ready time; resident memory after the load.";
    }

    @Override
    public Optional<String> missing(Prerequisites prerequisites) {
        return Optional.empty();
    }

    @Override
    public List<Step> steps(SectionContext context) {
        List<String> cmd = new ArrayList<>(List.of("tests/bench", "AgentBenchmark"));
        if (context.quick()) {
            cmd.addAll(List.of("--requests", "300", "--seconds", "2", "--warmup", "2", "--rss-requests", "5000"));
        }
        return List.of(new Step("bench", cmd, false));
    }

    @Override
    public Figures figures(List<StepResult> results) {
        List<String> out = results.get(0).stdout();
        List<List<String>> rows = new ArrayList<>();
        OutputLines.matching(out, ROW).forEach(m -> rows.add(OutputLines.groups(m)));
        return new Figures()
                .table(new Figures.Table("per model (microseconds unless named)", List.of("model", "raw ORT p50",
                        "raw ORT p99", "HTTP p50", "HTTP p99", "HTTP p50 − raw p50", "inferences/s, 16 clients",
                        "first start ms", "restart to ready ms", "RSS MB after the load"), rows))
                .verbatim(out.stream().filter(l -> l.startsWith("AgentBenchmark:") || l.startsWith("mlp")
                        || l.startsWith("cnn") || l.startsWith("model ")).toList());
    }
}
