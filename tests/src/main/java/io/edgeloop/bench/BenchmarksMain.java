package io.edgeloop.bench;

import io.edgeloop.bench.report.ReportRun;
import io.edgeloop.bench.report.Section;
import io.edgeloop.bench.report.sections.AgentSection;
import io.edgeloop.bench.report.sections.CaptureSection;
import io.edgeloop.bench.report.sections.DriftCostSection;
import io.edgeloop.bench.report.sections.DriftSection;
import io.edgeloop.bench.report.sections.IngestSection;
import io.edgeloop.bench.report.sections.QuantizationSection;
import io.edgeloop.bench.report.sections.RolloutSection;
import io.edgeloop.bench.report.sections.TrainingSection;

import java.util.List;

/**
 * {@code tests/benchmarks}: runs every benchmark program one after the other on this machine and
 * writes BENCHMARKS.md from their output, each figure with the command that produced it and the
 * machine and load it ran under ({@link ReportRun}). Exits 1 when a section failed, 2 on bad options.
 */
public final class BenchmarksMain {
    private BenchmarksMain() {
    }

    /** The sections, in report order. */
    static List<Section> sections() {
        return List.of(new AgentSection(), new QuantizationSection(), new TrainingSection(), new CaptureSection(),
                new DriftSection(), new DriftCostSection(), new RolloutSection(), new IngestSection());
    }

    public static void main(String[] args) throws Exception {
        System.exit(ReportRun.main(args, sections(), System.out));
    }
}
