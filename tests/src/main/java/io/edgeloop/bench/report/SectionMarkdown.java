package io.edgeloop.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * One section of BENCHMARKS.md, between markers that carry its mode, status, duration and date, so
 * a later {@code --only} run can keep it or replace it.
 */
public final class SectionMarkdown {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int FAILURE_TAIL = 30;

    private SectionMarkdown() {
    }

    public static String render(SectionRun run, Machine machine, Path root) {
        Section s = run.section();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<!-- benchmarks:section %s mode=%s status=%s seconds=%.0f date=%s load=%s -->%n",
                s.name(), run.quick() ? "quick" : "full", run.status(), run.seconds(),
                run.startedAt().truncatedTo(ChronoUnit.SECONDS), run.loadBefore()));
        b.append("## ").append(s.title()).append(" (`").append(s.name()).append("`)\n\n");
        if (run.quick()) {
            b.append("**Smoke run (`--quick`, small sizes): these figures are not to be quoted.**\n\n");
        }
        b.append(s.description()).append("\n\n");
        // The build too: an --only run leaves sections of earlier builds beside this one's.
        b.append(String.format(Locale.ROOT, "Ran %s on %s; build %s; %s; took %.0f s.%n%n", WHEN.format(run.startedAt()),
                machine.shortLine(), machine.build(), run.quick() ? "smoke sizes" : "full sizes", run.seconds()));
        if (run.status() == SectionRun.Status.SKIPPED) {
            b.append("**Not run:** ").append(run.reason()).append(". Then rerun it with `tests/benchmarks --only ")
                    .append(s.name()).append("`.\n");
            return end(b, s);
        }
        b.append("| step | command (from the repository root) | 1-min load average before | took | outcome |\n");
        b.append("|---|---|---|---|---|\n");
        for (StepResult r : run.results()) {
            b.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %.0f s | %s |%n", r.step().name(),
                    r.step().display().replace("|", "\\|"), r.loadBefore(), r.seconds(), r.outcome()));
        }
        b.append('\n');
        if (run.status() == SectionRun.Status.FAILED) {
            StepResult last = run.results().get(run.results().size() - 1);
            b.append("**FAILED:** ").append(run.reason()).append(". The last lines it printed (stdout, then stderr):\n\n");
            codeBlock(b, OutputLines.tail(last.stdout(), FAILURE_TAIL));
            codeBlock(b, OutputLines.tail(readLines(last.stderrLog()), FAILURE_TAIL));
        }
        for (Figures.Table t : run.figures().tables()) {
            b.append("**").append(t.caption()).append("**\n\n");
            table(b, t.header(), t.rows());
            b.append('\n');
        }
        for (String note : run.figures().notes()) {
            b.append("- ").append(note).append('\n');
        }
        if (!run.figures().notes().isEmpty()) {
            b.append('\n');
        }
        if (run.status() == SectionRun.Status.OK && run.figures().empty()) {
            b.append("No figures were found in the output (has its format changed?); see the raw logs.\n\n");
        }
        if (!run.figures().verbatim().isEmpty()) {
            b.append("Program output, verbatim (whole logs: ");
            for (StepResult r : run.results()) {
                b.append(r == run.results().get(0) ? "" : ", ").append('`').append(root.relativize(r.stdoutLog())).append('`');
            }
            b.append(", stderr beside them):\n\n");
            codeBlock(b, run.figures().verbatim());
        }
        return end(b, s);
    }

    public static void table(StringBuilder b, List<String> header, List<List<String>> rows) {
        b.append("| ").append(String.join(" | ", header.stream().map(SectionMarkdown::cell).toList())).append(" |\n");
        b.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            b.append("| ").append(String.join(" | ", row.stream().map(SectionMarkdown::cell).toList())).append(" |\n");
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static void codeBlock(StringBuilder b, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        b.append("```text\n");
        lines.forEach(l -> b.append(l.replace("```", "'''")).append('\n'));
        b.append("```\n\n");
    }

    private static String end(StringBuilder b, Section s) {
        return b.append("<!-- benchmarks:end ").append(s.name()).append(" -->\n").toString();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
