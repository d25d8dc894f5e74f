package io.edgeloop.bench.report;

import java.time.Instant;
import java.util.List;

/**
 * How one section went in this run.
 *
 * @param reason for SKIPPED the missing prerequisite and what to install; for FAILED the failed step
 */
public record SectionRun(Section section, boolean quick, Status status, String reason, List<StepResult> results,
                         Figures figures, Instant startedAt, double seconds, String loadBefore) {
    public enum Status { OK, FAILED, SKIPPED }

    public SectionRun {
        results = List.copyOf(results);
    }
}
