package io.edgeloop.bench.report;

import io.edgeloop.bench.report.sections.AgentSection;
import io.edgeloop.bench.report.sections.CaptureSection;
import io.edgeloop.bench.report.sections.DriftSection;
import io.edgeloop.bench.report.sections.IngestSection;
import io.edgeloop.bench.report.sections.QuantizationSection;
import io.edgeloop.bench.report.sections.RolloutSection;
import io.edgeloop.bench.report.sections.TrainingSection;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures are found in the programs' output as they print it (samples taken from real runs). */
class SectionFiguresTest {
    static StepResult output(String text) {
        return new StepResult(new Step("bench", List.of("tests/bench", "X"), false), 0, false, 1.0, "0.50", Instant.EPOCH,
                text.lines().toList(), Path.of("x.out.txt"), Path.of("x.err.txt"));
    }

    @Test
    void agentRowsPerModel() {
        Figures f = new AgentSection().figures(List.of(output("""
                AgentBenchmark: 2 CPUs, intra-op threads 1, 300 single requests per side, 2 s concurrent
                mlp: 22469 requests sent; 16 clients: p50 1533 us, p99 7879 us; RSS 166.9 MB right after the load
                cnn: 9000 requests sent; 16 clients: p50 2533 us, p99 9879 us; RSS 170.1 MB right after the load

                model  raw p50us  raw p99us http p50us http p99us  delta p50 infer/s 16cl  first ms  restart ms     RSS MB
                mlp           26        691        219       1547        193         8139      1466         768      143.1
                cnn           81        900        301       2047        220         5139      1566         668      160.2
                """)));
        List<List<String>> rows = f.tables().get(0).rows();
        assertEquals(List.of("mlp", "26", "691", "219", "1547", "193", "8139", "1466", "768", "143.1"), rows.get(0));
        assertEquals("cnn", rows.get(1).get(0));
        assertEquals(6, f.verbatim().size());
    }

    @Test
    void quantizationTestSetRowsCarryTheirModel() {
        Figures f = new QuantizationSection().figures(List.of(output("""
                CPU: Intel(R) Xeon(R) Processor; Conv weights 8-bit; 1 intra-op thread; throughput at batch 64
                == fmnist_mlp.onnx  (941287 bytes, 235146 parameters, opset 13, ops {Gemm=3, Relu=2})
                candidates, on fashion-mnist:train[58000:60000] (accuracy and agreement on this slice):
                  plan                        bytes   size     acc%    agree%    p50 us    samples/s  speedup  verdict
                  fp32                       941287 1.000x   83.95%   100.00%        30       234398    1.00x  baseline
                chosen: qdq-dense-per-tensor — chose qdq-dense-per-tensor: 1.94x fp32 throughput
                node plan: {/fc1/Gemm=int8}
                test set (10000 samples); p50 = best of 4 rounds of 1000 single-sample runs:
                  fp32                   accuracy 82.44%  p50 14 us  298650 samples/s  941287 bytes
                  qdq-dense-per-tensor   accuracy 82.52%  p50 10 us  716156 samples/s  239400 bytes
                  chosen vs fp32: size 0.254x, accuracy +0.08 pp, top-1 agreement 99.64%, latency p50 0.71x, throughput 2.40x
                """)));
        List<List<String>> rows = f.tables().get(0).rows();
        assertEquals(List.of("fmnist_mlp.onnx", "fp32", "82.44", "14", "298650", "941287"), rows.get(0));
        assertEquals("qdq-dense-per-tensor", rows.get(1).get(1));
        assertTrue(f.verbatim().stream().anyMatch(l -> l.contains("chosen vs fp32: size 0.254x")));
        assertTrue(f.verbatim().stream().anyMatch(l -> l.contains("234398")), "the candidate table is quoted");
    }

    @Test
    void trainingReadsTheScriptsJson() {
        Figures f = new TrainingSection().figures(List.of(output("""
                {
                  "model": "mlp",
                  "epochs": 1,
                  "threads": 2,
                  "edgeloop_train_seconds": 2.33,
                  "torch_train_seconds": 36.77,
                  "ratio_edgeloop_over_torch": 0.063,
                  "edgeloop_test_accuracy": 0.858,
                  "torch_test_accuracy": 0.8494,
                  "verdict": "goal met (<= 1.0)"
                }
                """)));
        assertEquals(List.of("mlp", "1", "2", "2.33", "36.77", "0.063", "0.858", "0.8494", "goal met (<= 1.0)"),
                f.tables().get(0).rows().get(0));
    }

    @Test
    void captureRowsOfBothSides() {
        Figures f = new CaptureSection().figures(List.of(output("""
                policy    floats  record B side     records  seconds  records/s     MB/s    p50 us    p99 us buffer/raw
                ALWAYS       784      3259 raw          252     0.60        420      1.4    1859.6   10567.7           
                ALWAYS       784      3259 buffer       344     0.60        573      1.9    1126.4    8650.8      1.36x
                """)));
        List<List<String>> rows = f.tables().get(0).rows();
        assertEquals(List.of("ALWAYS", "784", "3259", "raw", "252", "0.60", "420", "1.4", "1859.6", "10567.7", ""), rows.get(0));
        assertEquals("1.36x", rows.get(1).get(10));
    }

    @Test
    void driftRowsArePivotedPerKindWithThePeerBesideOurs() {
        Figures f = new DriftSection().figures(List.of(output("""
                DriftBenchmark: model m.onnx, packed in 5.8 s on test images 0-4999 (accuracy 0.8702); seed 1
                kind            window     n cost pp     ours     peer true acc estimate  ATC MAE conf MAE     OOR  MAE in-r
                clean               50    20     0.5     0.0%    20.0%    0.861    0.882    0.044    0.036      0%     0.044
                clean              500     4     0.0     0.0%    25.0%    0.866    0.888    0.022    0.012      0%     0.022
                translate3          50     4    33.1   100.0%   100.0%    0.535    0.531    0.050    0.106    100%         -
                translate3         500     2    29.5   100.0%   100.0%    0.571    0.574    0.006    0.092    100%         -
                kind                  DoC     AC-TS    DoC-TS ATC-MC-TS
                clean               0.012     0.007     0.012     0.018
                ATC mean absolute error at window 500, averaged over the 10 kinds (clean included): 0.033
                """)));
        Figures.Table t = f.tables().get(0);
        assertEquals("ours 50 / 500", t.header().get(2));
        assertEquals(List.of("clean", "0.0", "0.0% / 0.0%", "20.0% / 25.0%", "20 / 4", "0.866", "0.888", "0.022", "0%"),
                t.rows().get(0));
        assertEquals("100%", t.rows().get(1).get(8));
        assertTrue(f.verbatim().get(f.verbatim().size() - 1).startsWith("ATC mean absolute error"));
    }

    @Test
    void rolloutFleetsAndGate() {
        Figures f = new RolloutSection().figures(List.of(output("""
                RolloutBenchmark: 2 CPUs, package fashion-2.0.0.elpkg 1009854 bytes; fleets [20, 50]
                20 agents (joined and online in 3.8 s): rollout SUCCEEDED in 2.2 s; executions {SUCCEEDED=20}; the server published all jobs within 0.0 s (541 notifications/s); all devices had started at 1.4 s (14/s) and downloaded at 1.8 s (11 downloads/s); notify to end per job p50 1.8 s, p95 2.0 s, max 2.0 s; CPU server 2.4 s, simulator 2.0 s; served {fashion@2.0.0=20}
                gate: 20 agents, slow candidate: rollout ROLLED_BACK after 5.2 s; gate BREACH; breach to halt 0.0 s, breach to all rolled back 0.2 s; executions {ROLLED_BACK=4}; served {fashion@1.0.0=20}
                """)));
        assertEquals(List.of("20", "SUCCEEDED", "2.2", "3.8", "0.0 (541/s)", "1.4 (14/s)", "1.8 (11/s)", "1.8 / 2.0 / 2.0",
                "2.4 / 2.0", "{SUCCEEDED=20}"), f.tables().get(0).rows().get(0));
        assertEquals(List.of("20", "ROLLED_BACK", "5.2", "BREACH", "0.0", "0.2", "{ROLLED_BACK=4}"),
                f.tables().get(1).rows().get(0));
        assertEquals(3, f.verbatim().size());
    }

    @Test
    void ingestRowsAndASkippedPostgresWithWhatToInstall() {
        Figures f = new IngestSection().figures(List.of(output("""
                IngestBenchmark: 10 agents x 500 health messages = 5000, QoS 1 through Mosquitto, 2 CPUs
                backend                              messages   seconds      msg/s     ratio
                broker alone (bare subscriber)          5,000      0.79      6,308     1.00x
                stored, H2                              5,000      2.47      2,028     0.32x
                stored, PostgreSQL 15            skipped: no /usr/lib/postgresql/15/bin/initdb
                exactly once: every published message stored once (rows == published, one per (device, seq))
                """)));
        List<List<String>> rows = f.tables().get(0).rows();
        assertEquals(List.of("broker alone (bare subscriber)", "5,000", "0.79", "6,308", "1.00x"), rows.get(0));
        assertEquals("skipped: no /usr/lib/postgresql/15/bin/initdb", rows.get(2).get(1));
        assertTrue(f.notes().get(0).contains("postgresql-15"));
        assertTrue(f.verbatim().get(f.verbatim().size() - 1).startsWith("exactly once"));
    }
}
