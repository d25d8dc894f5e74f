package io.edgeloop.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** This run's sections as JSON beside the raw logs: steps, outcomes, load averages and the parsed tables. */
public final class ResultsJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    public static void write(Path file, Machine machine, ReportOptions options, List<SectionRun> runs) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", options.commandLine());
        root.put("machine", machine);
        List<Object> sections = new ArrayList<>();
        for (SectionRun run : runs) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", run.section().name());
            s.put("mode", run.quick() ? "quick" : "full");
            s.put("status", run.status().name());
            s.put("reason", run.reason());
            s.put("startedAt", run.startedAt().toString());
            s.put("seconds", run.seconds());
            List<Object> steps = new ArrayList<>();
            for (StepResult r : run.results()) {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("command", r.step().display());
                step.put("outcome", r.outcome());
                step.put("seconds", r.seconds());
                step.put("loadAverageBefore", r.loadBefore());
                step.put("startedAt", r.startedAt().toString());
                step.put("stdout", options.root().relativize(r.stdoutLog()).toString());
                steps.add(step);
            }
            s.put("steps", steps);
            List<Object> tables = new ArrayList<>();
            for (Figures.Table t : run.figures().tables()) {
                tables.add(Map.of("caption", t.caption(), "header", t.header(), "rows", t.rows()));
            }
            s.put("tables", tables);
            s.put("notes", run.figures().notes());
            sections.add(s);
        }
        root.put("sections", sections);
        JSON.writeValue(file.toFile(), root);
    }
}
