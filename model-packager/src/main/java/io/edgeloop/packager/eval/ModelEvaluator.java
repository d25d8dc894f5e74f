package io.edgeloop.packager.eval;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.packager.onnx.TensorInfo;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a model over a dataset and reports quality and speed: classification metrics (argmax of the
 * first output) for datasets with class names, regression metrics (first output value) otherwise,
 * single-sample latency percentiles and batch throughput, all in one session with the configured
 * intra-op threads.
 */
public final class ModelEvaluator {
    private final EvaluatorOptions options;
    private final PrintStream progress;

    public ModelEvaluator(EvaluatorOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** @param label what to call the model in the report (file name, package and variant) */
    public EvaluationReport evaluate(OnnxModel model, String label, String variant, Dataset data) throws EdgeLoopException {
        if (data.size() == 0) {
            throw new EdgeLoopException(ErrorCode.DATASET_INVALID, data.name() + " has no samples");
        }
        TensorInfo input = model.inputs().get(0);
        try (OrtRunner runner = new OrtRunner(model, new RunnerOptions(options.threads(), RunnerOptions.Optimization.ALL))) {
            progress.printf("evaluating %s on %d samples of %s%n", label, data.size(), data.name());
            float[][] outputs = Predictions.outputs(runner, input, data, options.evalBatch());
            progress.printf("measuring latency (%d single-sample runs) and throughput (batch %d)%n",
                    options.latencyRuns(), options.throughputBatch());
            SpeedMeter.Latency latency = SpeedMeter.latency(runner, input, data, options.warmupRuns(), options.latencyRuns());
            double throughput = SpeedMeter.throughput(runner, input, data, options.throughputBatch(),
                    options.throughputMillis() * 1_000_000L);
            Builder b = new Builder(label, model.sha256(), variant, data.name(), data.size(), latency, throughput);
            return data.isClassification() ? classification(b, outputs, data) : regression(b, outputs, data);
        }
    }

    private EvaluationReport classification(Builder b, float[][] outputs, Dataset data) throws EdgeLoopException {
        int classes = data.classNames().size();
        if (outputs[0].length != classes) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "the model outputs " + outputs[0].length
                    + " scores per sample but " + data.name() + " has " + classes + " classes");
        }
        ClassificationMetrics m = ClassificationMetrics.of(Predictions.labels(data), Predictions.argmax(outputs), classes);
        List<EvaluationReport.ClassFigures> perClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            long support = 0;
            for (long n : m.confusion()[c]) {
                support += n;
            }
            perClass.add(new EvaluationReport.ClassFigures(data.classNames().get(c), m.precision()[c], m.recall()[c],
                    m.f1()[c], support));
        }
        return new EvaluationReport(b.label, b.sha, b.variant, b.dataset, "classification", b.samples, m.accuracy(),
                m.precisionMacro(), m.recallMacro(), m.f1Macro(), null, null, null, b.latency.p50Us(), b.latency.p99Us(),
                b.throughput, options.throughputBatch(), options.threads(), m.confusion(), perClass);
    }

    private EvaluationReport regression(Builder b, float[][] outputs, Dataset data) throws EdgeLoopException {
        if (outputs[0].length != 1) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_INPUT_INVALID, "a regression model must output one value per"
                    + " sample; this one outputs " + outputs[0].length + " (is the label column numeric by mistake?)");
        }
        float[] predicted = new float[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            predicted[i] = outputs[i][0];
        }
        RegressionMetrics m = RegressionMetrics.of(data.targets(), predicted);
        return new EvaluationReport(b.label, b.sha, b.variant, b.dataset, "regression", b.samples, null, null, null, null,
                m.mse(), m.mae(), m.r2(), b.latency.p50Us(), b.latency.p99Us(), b.throughput, options.throughputBatch(),
                options.threads(), null, null);
    }

    private record Builder(String label, String sha, String variant, String dataset, long samples,
                           SpeedMeter.Latency latency, double throughput) {
    }
}
