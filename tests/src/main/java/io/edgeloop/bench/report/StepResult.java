package io.edgeloop.bench.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What one step did: its exit status, how long it took, the machine's 1-minute load average just
 * before it started, and its standard output (the figures are parsed from that alone; stderr is
 * only logged).
 */
public record StepResult(Step step, int exitCode, boolean timedOut, double seconds, String loadBefore,
                         Instant startedAt, List<String> stdout, Path stdoutLog, Path stderrLog) {
    public StepResult {
        stdout = List.copyOf(stdout);
    }

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** "exit 0", "exit 2" or "timed out". */
    public String outcome() {
        return timedOut ? "timed out" : "exit " + exitCode;
    }
}
