package io.edgeloop.bench.report;

import io.edgeloop.protocol.EdgeLoopException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run of {@code tests/benchmarks}: the chosen sections one after the other, BENCHMARKS.md
 * rewritten after each (an interrupted run keeps what it measured) and {@code results.json} beside
 * the logs. A section whose prerequisite is missing says what to install; the others still run.
 */
public final class ReportRun {
    private ReportRun() {
    }

    /** Parses the options and runs; the exit status: 0, 1 when a section failed, 2 on bad options. */
    public static int main(String[] args, List<Section> sections, PrintStream console) throws Exception {
        ReportOptions options;
        try {
            options = ReportOptions.parse(args, sections.stream().map(Section::name).toList());
        } catch (EdgeLoopException e) {
            System.err.println("tests/benchmarks: " + e.describe());
            return 2;
        }
        if (options.help()) {
            console.println(ReportOptions.USAGE);
            return 0;
        }
        if (options.list()) {
            sections.forEach(s -> console.printf("%-13s %s%n", s.name(), s.title()));
            return 0;
        }
        return run(options, sections, console);
    }

    static int run(ReportOptions options, List<Section> sections, PrintStream console) throws Exception {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Prerequisites prerequisites = Prerequisites.probe();
        Machine machine = Machine.probe(options.root(), prerequisites.torchVersion());
        console.printf("tests/benchmarks%s on %s%n", options.quick() ? " (smoke sizes: --quick)" : "", machine.shortLine());
        Files.createDirectories(options.logs());
        StepRunner runner = new StepRunner(options.root(), options.logs(), options.stepTimeoutSeconds(), console);
        Map<String, String> blocks = ReportFile.blocks(options.out());
        List<Section> chosen = sections.stream().filter(s -> options.runs(s.name())).toList();
        List<SectionRun> runs = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            Section s = chosen.get(i);
            console.printf("%n[%d/%d %s] %s%n", i + 1, chosen.size(), s.name(), s.title());
            SectionRun run = runSection(s, options, prerequisites, runner, console);
            runs.add(run);
            blocks.put(s.name(), SectionMarkdown.render(run, machine, options.root()));
            // Written after every section: an interrupted run still leaves what it measured.
            write(options, sections, blocks, machine, started, (System.nanoTime() - t0) / 1e9, runs);
            console.printf("[%d/%d %s] %s, %.0f s%s%n", i + 1, chosen.size(), s.name(), run.status(), run.seconds(),
                    run.reason() == null ? "" : ": " + run.reason());
        }
        deleteIfEmpty(options.logs().resolve("tmp"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        write(options, sections, blocks, machine, started, seconds, runs);
        console.printf("%nwrote %s and %s in %.1f min%n", options.root().relativize(options.out()),
                options.root().relativize(options.logs().resolve("results.json")), seconds / 60);
        runs.forEach(r -> console.printf("  %-13s %-7s %5.0f s%n", r.section().name(), r.status(), r.seconds()));
        return runs.stream().anyMatch(r -> r.status() == SectionRun.Status.FAILED) ? 1 : 0;
    }

    private static SectionRun runSection(Section s, ReportOptions options, Prerequisites prerequisites, StepRunner runner,
                                         PrintStream console) throws IOException, InterruptedException {
        Instant at = Instant.now();
        String load = Machine.loadAverage();
        var missing = s.missing(prerequisites);
        if (missing.isPresent()) {
            return new SectionRun(s, options.quick(), SectionRun.Status.SKIPPED, missing.get(), List.of(), new Figures(),
                    at, 0, load);
        }
        Path work = options.logs().resolve("work").resolve(s.name());
        delete(work);
        Path tmp = options.logs().resolve("tmp").resolve(s.name());
        SectionContext context = new SectionContext(options.quick(), options.root().relativize(work), options.driftModel());
        long t0 = System.nanoTime();
        List<StepResult> results = new ArrayList<>();
        String failure = null;
        for (Step step : s.steps(context)) {
            StepResult r = runner.run(s.name(), step, tmp);
            results.add(r);
            if (!r.ok()) {
                failure = "step `" + step.name() + "` ended with " + r.outcome() + " after " + Math.round(r.seconds()) + " s";
                break;
            }
        }
        // The temporary files (agents' folders and logs) are kept for a look when something failed.
        if (failure == null) {
            delete(tmp);
        } else {
            console.println("  its temporary files are kept in " + options.root().relativize(tmp));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Figures figures = failure == null ? figuresOf(s, results, console) : new Figures();
        return new SectionRun(s, options.quick(), failure == null ? SectionRun.Status.OK : SectionRun.Status.FAILED,
                failure, results, figures, at, seconds, load);
    }

    /** The section's figures; a parser that trips on changed output is reported, not fatal. */
    private static Figures figuresOf(Section s, List<StepResult> results, PrintStream console) {
        try {
            return s.figures(results);
        } catch (RuntimeException e) {
            console.println("  could not read the figures: " + e);
            return new Figures().note("the figures could not be read from the output (" + e + "); see the raw logs");
        }
    }

    private static void write(ReportOptions options, List<Section> sections, Map<String, String> blocks, Machine machine,
                              Instant started, double seconds, List<SectionRun> runs) throws IOException {
        Files.writeString(options.out(), ReportFile.render(sections, blocks, machine, options, started, seconds),
                StandardCharsets.UTF_8);
        ResultsJson.write(options.logs().resolve("results.json"), machine, options, runs);
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
