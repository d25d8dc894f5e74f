package io.edgeloop.packager.quantize;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.eval.Predictions;
import io.edgeloop.packager.eval.SpeedMeter;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.packager.onnx.TensorInfo;
import io.edgeloop.profiles.probe.LocalCpu;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chooses how to quantize a classifier by measuring, on this CPU, fp32 and each candidate plan of
 * a {@link PlanSelector}: accuracy and top-1 agreement on a validation slice, file size, and
 * batch throughput with one thread. The fastest candidate within every bound and faster than fp32
 * by {@link PlannerOptions#minSpeedup()} wins; when none qualifies the model stays fp32 and the
 * report says why. Int8 is a measured choice because on some CPUs a quantized Conv is slower than
 * fp32 while quantized dense layers are faster.
 */
public final class QuantizationPlanner {
    private final PlannerOptions options;
    private final PlanSelector selector;
    private final PlanApplier applier;
    private final PrintStream progress;

    public QuantizationPlanner(PlannerOptions options, PlanSelector selector, PlanApplier applier, PrintStream progress) {
        this.options = options;
        this.selector = selector;
        this.applier = applier;
        this.progress = progress;
    }

    /** The chosen model (the fp32 input itself when nothing wins) and the report. */
    public record Result(OnnxModel model, QuantizationReport report) {
    }

    public Result plan(String name, OnnxModel fp32, Dataset calibration, Dataset validation) throws EdgeLoopException {
        if (!validation.isClassification()) {
            throw new EdgeLoopException(ErrorCode.QUANTIZATION_FAILED, "the planner judges int8 by top-1 agreement; "
                    + validation.name() + " is not a classification dataset");
        }
        List<QuantizationPlan> plans = selector.candidates(fp32);
        Map<String, ActivationRange> ranges = new Calibrator(options.calibration(), progress)
                .calibrate(fp32, applier.tensorsToCalibrate(plans, fp32), calibration);
        List<OnnxModel> models = new ArrayList<>();
        models.add(fp32);
        List<QuantizationPlan> built = new ArrayList<>();
        for (QuantizationPlan p : plans) {
            try {
                models.add(applier.apply(p, fp32, ranges));
                built.add(p);
            } catch (EdgeLoopException e) {
                progress.printf("  %s: not applicable (%s)%n", p.name(), e.getMessage());
            }
        }
        int[] truth = Predictions.labels(validation);
        int[][] predictions = new int[models.size()][];
        double[] throughput = new double[models.size()];
        double[] latency = new double[models.size()];
        RunnerOptions ro = new RunnerOptions(options.threads(), RunnerOptions.Optimization.ALL);
        TensorInfo input = fp32.inputs().get(0);
        List<OrtRunner> runners = new ArrayList<>();
        try {
            for (int i = 0; i < models.size(); i++) {
                OrtRunner r = new OrtRunner(models.get(i), ro);
                runners.add(r);
                predictions[i] = Predictions.argmax(Predictions.outputs(r, input, validation, options.batch()));
                latency[i] = SpeedMeter.latency(r, input, validation, 20, options.latencyRuns()).p50Us();
            }
            progress.printf("measuring throughput: %d interleaved rounds of %d batches each%n",
                    options.rounds(), options.batchesPerRound());
            for (int round = 0; round < options.rounds(); round++) {
                double[] t = SpeedMeter.interleavedThroughput(runners, input, validation, options.batch(),
                        options.batchesPerRound(), options.timePercentile());
                for (int i = 0; i < t.length; i++) {
                    throughput[i] = Math.max(throughput[i], t[i]);
                }
            }
        } finally {
            runners.forEach(OrtRunner::close);
        }
        CandidateResult base = new CandidateResult("fp32", "float32 as exported", fp32.sizeBytes(), 1.0,
                Predictions.agreement(predictions[0], truth), 1.0, latency[0], throughput[0], 1.0, false, "baseline");
        List<CandidateResult> results = new ArrayList<>();
        CandidateResult best = null;
        QuantizationPlan bestPlan = null;
        OnnxModel bestModel = fp32;
        for (int i = 1; i < models.size(); i++) {
            CandidateResult c = judge(built.get(i - 1), models.get(i), base, fp32,
                    Predictions.agreement(predictions[i], truth), Predictions.agreement(predictions[i], predictions[0]),
                    latency[i], throughput[i]);
            results.add(c);
            progress.printf("  %-22s %s%n", c.plan(), c.verdict());
            if (c.accepted() && (best == null || c.throughputPerS() > best.throughputPerS())) {
                best = c;
                bestPlan = built.get(i - 1);
                bestModel = models.get(i);
            }
        }
        String summary = best == null
                ? "no int8 plan was faster than fp32 within the bounds; keeping fp32"
                : String.format("chose %s: %.2fx fp32 throughput, accuracy %.2f%% vs %.2f%%, agreement %.2f%%, size %.2fx",
                        best.plan(), best.speedup(), 100 * best.accuracy(), 100 * base.accuracy(),
                        100 * best.agreement(), best.sizeRatio());
        progress.println(summary);
        QuantizationReport report = new QuantizationReport(name, validation.name(), options.batch(), options.threads(),
                cpuName(), base, results, best == null ? "fp32" : best.plan(),
                applier.nodePlan(bestPlan, fp32), summary);
        return new Result(bestModel, report);
    }

    private CandidateResult judge(QuantizationPlan plan, OnnxModel model, CandidateResult base, OnnxModel fp32,
                                  double accuracy, double agreement, double latencyP50, double throughput) {
        double sizeRatio = (double) model.sizeBytes() / fp32.sizeBytes();
        double speedup = base.throughputPerS() == 0 ? 0 : throughput / base.throughputPerS();
        double dropPp = 100 * (base.accuracy() - accuracy);
        List<String> why = new ArrayList<>();
        if (dropPp > options.maxAccuracyDropPp()) {
            why.add(String.format("accuracy drop %.2f pp > %.2f", dropPp, options.maxAccuracyDropPp()));
        }
        if (agreement < options.minAgreement()) {
            why.add(String.format("agreement %.4f < %.4f", agreement, options.minAgreement()));
        }
        if (sizeRatio > options.maxSizeRatio()) {
            why.add(String.format("size %.3fx > %.2fx", sizeRatio, options.maxSizeRatio()));
        }
        if (speedup < options.minSpeedup()) {
            why.add(String.format("speed-up %.3fx < %.2fx", speedup, options.minSpeedup()));
        }
        String verdict = why.isEmpty()
                ? String.format("accepted: %.2fx throughput, agreement %.4f, size %.3fx", speedup, agreement, sizeRatio)
                : "rejected: " + String.join("; ", why);
        return new CandidateResult(plan.name(), plan.describe(), model.sizeBytes(), sizeRatio, accuracy, agreement,
                latencyP50, throughput, speedup, why.isEmpty(), verdict);
    }

    static String cpuName() {
        LocalCpu cpu = LocalCpu.get();
        return cpu.model() + (cpu.features().needsReducedInt8Range() ? " (no VNNI)" : "");
    }
}
