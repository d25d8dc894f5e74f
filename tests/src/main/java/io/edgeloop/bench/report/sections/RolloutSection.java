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

/** Rollout time to simulated fleets and gate breach to halt ({@code RolloutBenchmark}). */
public final class RolloutSection implements Section {
    static final Pattern FLEET = Pattern.compile("(\\d+) agents \\(joined and online in (\\S+) s\\): rollout (\\S+) in (\\S+) s;"
            + " executions (\\{[^}]*\\}); the server published all jobs within (\\S+) s \\((\\S+) notifications/s\\);"
            + " all devices had started at (\\S+) s \\((\\S+)/s\\) and downloaded at (\\S+) s \\((\\S+) downloads/s\\);"
            + " notify to end per job p50 (\\S+) s, p95 (\\S+) s, max (\\S+) s; CPU server (\\S+) s, simulator (\\S+) s;"
            + " served (.*)");
    static final Pattern GATE = Pattern.compile("gate: (\\d+) agents, slow candidate: rollout (\\S+) after (\\S+) s; gate (\\S+);"
            + " breach to halt (\\S+) s, breach to all rolled back (\\S+) s; executions (\\{[^}]*\\}); served (.*)");

    @Override
    public String name() {
        return "rollout";
    }

    @Override
    public String title() {
        return "Rollout time to simulated fleets";
    }

    @Override
    public String description() {
        return "`RolloutBenchmark`: `edgeloop server` as its own process (embedded broker and H2) and the fleet"
                + " simulator's real agents in the benchmark's JVM; a 1 MB package rolled out to every agent in one wave"
                + " with zero soak, from `POST /api/v1/rollouts` to every execution SUCCEEDED; then a slow candidate under"
                + " live traffic trips a p95 gate on its first wave: breach to halt and to all rolled back.";
    }

    @Override
    public Optional<String> missing(Prerequisites prerequisites) {
        return Optional.empty();
    }

    @Override
    public List<Step> steps(SectionContext context) {
        List<String> cmd = new ArrayList<>(List.of("tests/bench", "RolloutBenchmark"));
        cmd.addAll(context.quick() ? List.of("--agents", "20,50", "--gate-agents", "20", "--timeout-seconds", "300")
                : List.of("--agents", "200,1000"));
        return List.of(new Step("bench", cmd, false));
    }

    @Override
    public Figures figures(List<StepResult> results) {
        List<String> out = results.get(0).stdout();
        List<List<String>> fleets = new ArrayList<>();
        for (Matcher m : OutputLines.matching(out, FLEET)) {
            fleets.add(List.of(m.group(1), m.group(3), m.group(4), m.group(2), m.group(6) + " (" + m.group(7) + "/s)",
                    m.group(8) + " (" + m.group(9) + "/s)", m.group(10) + " (" + m.group(11) + "/s)",
                    m.group(12) + " / " + m.group(13) + " / " + m.group(14), m.group(15) + " / " + m.group(16), m.group(5)));
        }
        List<List<String>> gates = new ArrayList<>();
        OutputLines.matching(out, GATE).forEach(m -> gates.add(OutputLines.groups(m).subList(0, 7)));
        return new Figures()
                .table(new Figures.Table("one wave, zero soak, create to every execution SUCCEEDED (seconds)", List.of(
                        "agents", "rollout", "in s", "joined and online in s", "jobs published within s",
                        "all started at s", "all downloaded at s", "notify to end per job p50 / p95 / max s",
                        "CPU s server / simulator", "executions"), fleets))
                .table(new Figures.Table("gate: slow candidate, p95 gate on wave 1", List.of("agents", "rollout",
                        "after s", "gate", "breach to halt s", "breach to all rolled back s", "executions"), gates))
                .verbatim(out.stream().filter(l -> l.startsWith("RolloutBenchmark:") || FLEET.matcher(l).matches()
                        || GATE.matcher(l).matches()).toList());
    }
}
