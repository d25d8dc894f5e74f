package io.edgeloop.bench.report;

import io.edgeloop.bench.report.sections.CaptureSection;
import io.edgeloop.bench.report.sections.IngestSection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportFileTest {
    static final Machine MACHINE = new Machine("Test CPU", 2, "2", List.of("avx2"), false, 2 * 1048576, "Debian 12",
            "6.1", "OpenJDK 17", "1.13.1", "git abc1234");
    static final Instant AT = Instant.parse("2026-12-01T22:00:00Z");

    static SectionRun ok(Section s, boolean quick, String stdout) {
        StepResult r = new StepResult(new Step("bench", List.of("tests/bench", "X", "--n", "1"), false), 0, false, 12.4,
                "0.42", AT, stdout.lines().toList(), Path.of("/repo/tests/target/benchmarks/x.out.txt"),
                Path.of("/repo/tests/target/benchmarks/x.err.txt"));
        return new SectionRun(s, quick, SectionRun.Status.OK, null, List.of(r), s.figures(List.of(r)), AT, 12.4, "0.42");
    }

    @Test
    void aBlockNamesItsCommandLoadAndModeAndReadsBack(@TempDir Path dir) throws Exception {
        Section capture = new CaptureSection();
        String block = SectionMarkdown.render(ok(capture, false, "ALWAYS       784      3259 raw          252     0.60"
                + "        420      1.4    1859.6   10567.7"), MACHINE, Path.of("/repo"));
        assertTrue(block.contains("| bench | `tests/bench X --n 1` | 0.42 | 12 s | exit 0 |"), block);
        assertTrue(block.contains("| ALWAYS | 784 | 3259 | raw | 252 |"), block);
        assertTrue(block.contains("`tests/target/benchmarks/x.out.txt`"), block);
        assertTrue(block.contains("Ran 2026-12-01 22:00 UTC on Test CPU, 2 CPUs, avx2, 2.0 GiB; build git abc1234; full sizes"),
                block);
        assertFalse(block.contains("Smoke run"));
        Path file = Files.writeString(dir.resolve("BENCHMARKS.md"), "# header\n\n" + block + "\ntrailing\n");
        Map<String, String> blocks = ReportFile.blocks(file);
        assertEquals(List.of("capture"), List.copyOf(blocks.keySet()));
        assertEquals(Map.of("mode", "full", "status", "OK", "seconds", "12", "date", "2026-12-01T22:00:00Z", "load", "0.42"),
                ReportFile.attributes(blocks.get("capture")));
    }

    @Test
    void anOnlyRunKeepsTheOtherSectionsAndASmokeBlockMarksTheWholeReport() {
        ReportOptions options = new ReportOptions(Path.of("/repo"), true, java.util.Set.of("ingest"),
                Path.of("/repo/BENCHMARKS.md"), Path.of("/repo/tests/target/benchmarks"), null, 900, false, false);
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("capture", SectionMarkdown.render(ok(new CaptureSection(), false, ""), MACHINE, Path.of("/repo")));
        String full = ReportFile.render(List.of(new CaptureSection(), new IngestSection()), blocks, MACHINE, options, AT, 60);
        assertFalse(full.contains("SMOKE RUN"), "only full blocks");
        assertTrue(full.contains("| Telemetry ingest vs the broker alone (`ingest`) |  | not run yet |"), full);

        blocks.put("ingest", SectionMarkdown.render(ok(new IngestSection(), true, ""), MACHINE, Path.of("/repo")));
        String mixed = ReportFile.render(List.of(new CaptureSection(), new IngestSection()), blocks, MACHINE, options, AT, 60);
        assertTrue(mixed.contains("SMOKE RUN"));
        assertTrue(mixed.indexOf("benchmarks:section capture") < mixed.indexOf("benchmarks:section ingest"));
        assertTrue(mixed.contains("| CPU | Test CPU |"));
        assertTrue(mixed.contains("this run: `tests/benchmarks --quick --only ingest`"));
    }

    @Test
    void aSkippedSectionSaysWhatToInstall() {
        SectionRun skipped = new SectionRun(new IngestSection(), false, SectionRun.Status.SKIPPED,
                "no Mosquitto at /usr/sbin/mosquitto: install Debian's `mosquitto`", List.of(), new Figures(), AT, 0, "0.1");
        String block = SectionMarkdown.render(skipped, MACHINE, Path.of("/repo"));
        assertTrue(block.contains("**Not run:** no Mosquitto at /usr/sbin/mosquitto: install Debian's `mosquitto`."
                + " Then rerun it with `tests/benchmarks --only ingest`."), block);
    }
}
