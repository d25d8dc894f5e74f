package io.edgeloop.bench.report;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of {@code tests/benchmarks}, validated once.
 *
 * @param root               the repository root (the commands run there)
 * @param quick              smoke sizes: a few minutes in all, figures not to be quoted
 * @param only               the sections to run (the others keep what the report already holds); empty = all
 * @param out                the report file
 * @param logs               raw logs of each step, the work folders, and the report's figures as JSON
 * @param driftModel         a trained CNN for the drift section instead of training one, or null
 * @param stepTimeoutSeconds a step running longer than this is stopped and reported as timed out
 * @param list               print the section names and exit
 * @param help               print the usage and exit
 */
public record ReportOptions(Path root, boolean quick, Set<String> only, Path out, Path logs, Path driftModel,
                            int stepTimeoutSeconds, boolean list, boolean help) {
    public static final String USAGE = """
            usage: tests/benchmarks [--quick] [--only NAME[,NAME...]] [--out FILE] [--logs DIR]
                                    [--drift-model MODEL.onnx] [--step-timeout SECONDS] [--list]
              --quick         smoke sizes (a few minutes); the report says it is a smoke run, figures not to be quoted
              --only          rerun these sections; the report keeps the others as they were
              --out           the report (default BENCHMARKS.md in the repository root)
              --logs          raw logs and work folders (default tests/target/benchmarks)
              --drift-model   a CNN trained on Fashion-MNIST for the drift section (default: train one first)
              --step-timeout  stop a step after this many seconds (default 2400, 900 with --quick)
              --list          print the section names
            sections, in this order: agent, quantization, training, capture, drift, drift-cost, rollout, ingest""";

    public static ReportOptions parse(String[] args, List<String> sections) throws EdgeLoopException {
        Path root = Path.of("").toAbsolutePath();
        boolean quick = false;
        boolean list = false;
        boolean help = false;
        Set<String> only = new LinkedHashSet<>();
        Path out = null;
        Path logs = null;
        Path driftModel = null;
        Integer timeout = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--list" -> list = true;
                case "--help", "-h" -> help = true;
                case "--root" -> root = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--logs" -> logs = Path.of(value(args, ++i, a));
                case "--drift-model" -> driftModel = Path.of(value(args, ++i, a));
                case "--step-timeout" -> timeout = positive(value(args, ++i, a), a);
                case "--only" -> {
                    for (String name : value(args, ++i, a).split(",")) {
                        if (!sections.contains(name.strip())) {
                            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--only: no section '" + name.strip()
                                    + "'; the sections are " + String.join(", ", sections));
                        }
                        only.add(name.strip());
                    }
                }
                default -> throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "unknown option '" + a + "'\n" + USAGE);
            }
        }
        out = root.resolve(out == null ? Path.of("BENCHMARKS.md") : out);
        logs = root.resolve(logs == null ? Path.of("tests", "target", "benchmarks") : logs);
        if (driftModel != null) {
            driftModel = root.resolve(driftModel);
            if (!driftModel.toFile().isFile()) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--drift-model: no file " + driftModel);
            }
        }
        return new ReportOptions(root, quick, Set.copyOf(only), out, logs, driftModel,
                timeout != null ? timeout : quick ? 900 : 2400, list, help);
    }

    /** Whether this run measures {@code section}. */
    public boolean runs(String section) {
        return only.isEmpty() || only.contains(section);
    }

    /** The options as they would be typed, for the report. */
    public String commandLine() {
        List<String> parts = new ArrayList<>(List.of("tests/benchmarks"));
        if (quick) {
            parts.add("--quick");
        }
        if (!only.isEmpty()) {
            parts.add("--only " + String.join(",", only.stream().sorted().toList()));
        }
        if (driftModel != null) {
            parts.add("--drift-model " + root.relativize(driftModel));
        }
        return String.join(" ", parts);
    }

    private static String value(String[] args, int i, String option) throws EdgeLoopException {
        if (i >= args.length) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int positive(String text, String option) throws EdgeLoopException {
        try {
            int v = Integer.parseInt(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, option + " must be a positive number of seconds, not '"
                + text + "'");
    }
}
