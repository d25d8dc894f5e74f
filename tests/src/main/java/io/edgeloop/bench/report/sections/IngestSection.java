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

/** Telemetry ingest through Mosquitto against the broker alone ({@code IngestBenchmark}). */
public final class IngestSection implements Section {
    static final Pattern ROW = Pattern.compile("(\\S.*?)\\s{2,}([\\d,]+)\\s+([\\d.]+)\\s+([\\d,]+)\\s+([\\d.]+x)");
    static final Pattern SKIPPED = Pattern.compile("(\\S.*?)\\s{2,}(skipped.*)");

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String title() {
        return "Telemetry ingest vs the broker alone";
    }

    @Override
    public String description() {
        return "`IngestBenchmark`: light agents (the real RocksDB outbox and `FleetLink`, each with its own login) send"
                + " health reports at QoS 1 through Mosquitto: first to a bare subscriber that stores nothing (the broker"
                + " alone), then to the server's ingest storing into H2, then into a PostgreSQL 15 it starts itself; each"
                + " phase on a fresh broker, and every stored message checked to be there exactly once.";
    }

    @Override
    public Optional<String> missing(Prerequisites prerequisites) {
        return prerequisites.mosquitto();
    }

    @Override
    public List<Step> steps(SectionContext context) {
        List<String> cmd = new ArrayList<>(List.of("tests/bench", "IngestBenchmark"));
        if (context.quick()) {
            cmd.addAll(List.of("--agents", "10", "--messages", "500"));
        }
        return List.of(new Step("bench", cmd, false));
    }

    @Override
    public Figures figures(List<StepResult> results) {
        List<String> out = results.get(0).stdout();
        List<List<String>> rows = new ArrayList<>();
        Figures figures = new Figures();
        List<String> verbatim = new ArrayList<>(OutputLines.startingWith(out, "IngestBenchmark:"));
        for (String line : out) {
            Matcher row = ROW.matcher(line);
            Matcher skipped = SKIPPED.matcher(line);
            if (row.matches()) {
                rows.add(OutputLines.groups(row));
                verbatim.add(line);
            } else if (skipped.matches()) {
                rows.add(List.of(skipped.group(1), skipped.group(2), "", "", ""));
                verbatim.add(line);
                figures.note(skipped.group(1) + " was skipped; for that row install Debian's `postgresql-15`"
                        + " (`sudo apt-get install postgresql-15`).");
            } else if (line.startsWith("backend ") || line.startsWith("exactly once") || line.startsWith("EXACTLY-ONCE")
                    || line.startsWith("ratio:")) {
                verbatim.add(line);
            }
        }
        return figures.table(new Figures.Table("QoS 1 through Mosquitto", List.of("backend", "messages", "seconds",
                "msg/s", "ratio to the broker alone"), rows)).verbatim(verbatim);
    }
}
