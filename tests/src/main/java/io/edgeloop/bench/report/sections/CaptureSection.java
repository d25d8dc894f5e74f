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

/** Raw RocksDB puts against the agent's capture buffer at the same sync policy ({@code CaptureBufferBenchmark}). */
public final class CaptureSection implements Section {
    static final Pattern ROW = Pattern.compile("(ALWAYS|INTERVAL|NEVER)\\s+(\\d+)\\s+(\\d+)\\s+(raw|buffer)\\s+(\\d+)\\s+"
            + "([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s*(\\S*)");

    @Override
    public String name() {
        return "capture";
    }

    @Override
    public String title() {
        return "Raw RocksDB puts vs the capture buffer";
    }

    @Override
    public String description() {
        return "`CaptureBufferBenchmark`: for each sync policy (ALWAYS: fsync per write; INTERVAL: WAL synced every"
                + " second, the agent's default; NEVER) and captured input size (784 floats: a 28×28 image; 12,288:"
                + " 64×64×3; 150,528: 224×224×3), one thread putting the same records into real RocksDB files: bare"
                + " `RocksDB.put` of the exact bytes the buffer stores, into a database the agent created and reopened"
                + " with its persisted options and the same write options, against `CaptureBuffer.append` (encoding,"
                + " bookkeeping, quota check). Alternating rounds, each on a fresh database; no eviction.";
    }

    @Override
    public Optional<String> missing(Prerequisites prerequisites) {
        return Optional.empty();
    }

    @Override
    public List<Step> steps(SectionContext context) {
        List<String> cmd = new ArrayList<>(List.of("tests/bench", "CaptureBufferBenchmark", "--dir", context.file("rocksdb")));
        if (context.quick()) {
            cmd.addAll(List.of("--seconds", "0.6", "--warmup-seconds", "0.2", "--max-mb", "64"));
        }
        return List.of(new Step("bench", cmd, false));
    }

    @Override
    public Figures figures(List<StepResult> results) {
        List<String> out = results.get(0).stdout();
        List<List<String>> rows = new ArrayList<>();
        OutputLines.matching(out, ROW).forEach(m -> rows.add(OutputLines.groups(m)));
        return new Figures()
                .table(new Figures.Table("one writer thread; p50/p99 of one put", List.of("sync policy", "input floats",
                        "record bytes", "side", "records", "seconds", "records/s", "MB/s", "p50 µs", "p99 µs",
                        "buffer / raw (records/s)"), rows))
                .verbatim(out.stream().filter(l -> l.startsWith("CaptureBufferBenchmark:") || l.startsWith("policy ")
                        || ROW.matcher(l).matches() || l.startsWith("record B:")).toList());
    }
}
