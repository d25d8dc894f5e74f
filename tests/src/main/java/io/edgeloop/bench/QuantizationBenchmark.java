package io.edgeloop.bench;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.eval.Predictions;
import io.edgeloop.packager.eval.SpeedMeter;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.packager.quantize.CandidateResult;
import io.edgeloop.packager.quantize.PlanApplier;
import io.edgeloop.packager.quantize.PlanSelector;
import io.edgeloop.packager.quantize.PlannerOptions;
import io.edgeloop.packager.quantize.QuantizationPlanner;
import io.edgeloop.packager.quantize.QuantizationReport;

import io.edgeloop.profiles.probe.LocalCpu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * fp32 vs int8 on this CPU for the Fashion-MNIST MLP and CNN exported by PyTorch: for each model
 * the planner's candidates (size, accuracy and top-1 agreement on a held-out training slice,
 * single-sample p50 latency and batch-64 throughput with one thread, speed-up) and then fp32 vs
 * the chosen int8 model on the full test set (accuracy, agreement; speed as the best of interleaved rounds).
 *
 * <pre>tests/bench QuantizationBenchmark [MLP.onnx CNN.onnx]</pre>
 * Without arguments it runs {@code model-packager/src/test/python/export_reference_models.py}
 * (Debian's python3-torch) into a temporary folder first.
 */
public final class QuantizationBenchmark {
    private static final int ROUNDS = 4;
    private static final String EXPORT_SCRIPT = "model-packager/src/test/python/export_reference_models.py";

    private QuantizationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> models = new ArrayList<>();
        if (args.length == 0) {
            Path dir = Files.createTempDirectory("edgeloop-ref-models");
            export(dir);
            models.add(dir.resolve("fmnist_mlp.onnx"));
            models.add(dir.resolve("fmnist_cnn.onnx"));
        } else {
            for (String a : args) {
                models.add(Path.of(a));
            }
        }
        DatasetLoader loader = DatasetLoader.fromEnvironment();
        Dataset train = loader.load("fashion-mnist:train");
        Dataset test = loader.load("fashion-mnist:test");
        Dataset calibration = train.select(range(50_000, 50_512), "fashion-mnist:train[50000:50512]");
        Dataset validation = train.select(range(58_000, 60_000), "fashion-mnist:train[58000:60000]");
        LocalCpu cpu = LocalCpu.get();
        System.out.printf("CPU: %s; Conv weights %s; 1 intra-op thread; throughput at batch %d%n", cpu.model(),
                cpu.features().needsReducedInt8Range() ? "7-bit (no VNNI)" : "8-bit", PlannerOptions.DEFAULT_BATCH);
        System.out.printf("Timings taken while other work may share the CPU: compare ratios, not absolutes.%n%n");
        for (Path model : models) {
            benchmark(model, calibration, validation, test);
        }
    }

    private static void benchmark(Path file, Dataset calibration, Dataset validation, Dataset test) throws Exception {
        OnnxModel fp32 = OnnxModel.load(file);
        System.out.printf("== %s  (%d bytes, %d parameters, opset %d, ops %s)%n", file.getFileName(), fp32.sizeBytes(),
                fp32.parameterCount(), fp32.opsetVersion(), fp32.operatorCensus());
        QuantizationPlanner planner = new QuantizationPlanner(PlannerOptions.DEFAULT, PlanSelector.measureAll(),
                new PlanApplier(LocalCpu.get().features().needsReducedInt8Range()), System.err);
        QuantizationPlanner.Result result = planner.plan(file.getFileName().toString(), fp32, calibration, validation);
        QuantizationReport report = result.report();
        System.out.printf("candidates, on %s (%s):%n", report.validation(), "accuracy and agreement on this slice");
        System.out.printf("  %-22s %10s %6s %8s %9s %9s %12s %8s  %s%n", "plan", "bytes", "size", "acc%", "agree%",
                "p50 us", "samples/s", "speedup", "verdict");
        print(report.fp32());
        report.candidates().forEach(QuantizationBenchmark::print);
        System.out.printf("chosen: %s — %s%n", report.chosen(), report.summary());
        System.out.printf("node plan: %s%n", report.nodePlan());

        // Full test set: accuracy and agreement of fp32 vs the chosen model, then speed with batches
        // interleaved between the two so a burst of background load hits both alike.
        int[] truth = Predictions.labels(test);
        int[] p32 = predict(fp32, test);
        int[] p8 = predict(result.model(), test);
        double[][] speed = speed(fp32, result.model(), test);
        double[] speed32 = speed[0];
        double[] speed8 = speed[1];
        System.out.printf("test set (%d samples); p50 = best of %d rounds of 1000 single-sample runs; throughput = "
                + "batch 64 from the p%.0f batch time of 300 interleaved batches, best of %d rounds:%n", test.size(), ROUNDS,
                PlannerOptions.DEFAULT_TIME_PERCENTILE, ROUNDS);
        System.out.printf("  %-22s accuracy %.2f%%  p50 %.0f us  %.0f samples/s  %d bytes%n", "fp32",
                100 * Predictions.agreement(p32, truth), speed32[0], speed32[1], fp32.sizeBytes());
        System.out.printf("  %-22s accuracy %.2f%%  p50 %.0f us  %.0f samples/s  %d bytes%n", report.chosen(),
                100 * Predictions.agreement(p8, truth), speed8[0], speed8[1], result.model().sizeBytes());
        System.out.printf("  chosen vs fp32: size %.3fx, accuracy %+.2f pp, top-1 agreement %.2f%%, "
                        + "latency p50 %.2fx, throughput %.2fx%n%n",
                (double) result.model().sizeBytes() / fp32.sizeBytes(),
                100 * (Predictions.agreement(p8, truth) - Predictions.agreement(p32, truth)),
                100 * Predictions.agreement(p32, p8), speed8[0] / speed32[0], speed8[1] / speed32[1]);
    }

    /** {p50 latency us, throughput/s} of each model, one thread, throughput from interleaved batches. */
    private static double[][] speed(OnnxModel a, OnnxModel b, Dataset data) throws Exception {
        try (OrtRunner ra = new OrtRunner(a, RunnerOptions.DEFAULT); OrtRunner rb = new OrtRunner(b, RunnerOptions.DEFAULT)) {
            double[][] out = new double[2][2];
            out[0][0] = Double.MAX_VALUE;
            out[1][0] = Double.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                out[0][0] = Math.min(out[0][0], SpeedMeter.latency(ra, a.inputs().get(0), data, 100, 1000).p50Us());
                out[1][0] = Math.min(out[1][0], SpeedMeter.latency(rb, b.inputs().get(0), data, 100, 1000).p50Us());
                double[] t = SpeedMeter.interleavedThroughput(List.of(ra, rb), a.inputs().get(0), data,
                        PlannerOptions.DEFAULT_BATCH, 300, PlannerOptions.DEFAULT_TIME_PERCENTILE);
                out[0][1] = Math.max(out[0][1], t[0]);
                out[1][1] = Math.max(out[1][1], t[1]);
            }
            return out;
        }
    }

    private static void print(CandidateResult c) {
        System.out.printf("  %-22s %10d %5.3fx %7.2f%% %8.2f%% %9.0f %12.0f %7.2fx  %s%n", c.plan(), c.sizeBytes(),
                c.sizeRatio(), 100 * c.accuracy(), 100 * c.agreement(), c.latencyP50Us(), c.throughputPerS(),
                c.speedup(), c.verdict());
    }

    private static int[] predict(OnnxModel model, Dataset data) throws Exception {
        try (OrtRunner r = new OrtRunner(model, RunnerOptions.DEFAULT)) {
            return Predictions.argmax(Predictions.outputs(r, model.inputs().get(0), data, 256));
        }
    }

    private static void export(Path dir) throws Exception {
        Path script = Path.of(EXPORT_SCRIPT);
        for (Path p = Path.of("").toAbsolutePath(); p != null && !Files.exists(script); p = p.getParent()) {
            script = p.resolve(EXPORT_SCRIPT);
        }
        if (!Files.exists(script)) {
            throw new IllegalStateException("pass MLP and CNN .onnx paths, or run from the repository so "
                    + EXPORT_SCRIPT + " can be found");
        }
        System.err.println("exporting reference models with " + script + " into " + dir);
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), dir.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the export script failed (exit " + p.exitValue() + ")");
        }
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
