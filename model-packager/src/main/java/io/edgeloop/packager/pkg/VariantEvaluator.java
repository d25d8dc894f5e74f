package io.edgeloop.packager.pkg;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.eval.ClassificationMetrics;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.Arrays;

/**
 * Runs one variant's model over the reference data in ONNX Runtime and measures what the
 * manifest records: accuracy, macro F1, agreement with fp32, single-sample latency and batch
 * throughput on this host.
 */
final class VariantEvaluator {

    /**
     * @param batchSize    samples per call when measuring accuracy and throughput
     * @param latencyRuns  timed single-sample calls for the median latency (after as many warm-up calls / 4)
     */
    record Options(int batchSize, int latencyRuns, RunnerOptions runner) {
        static final int DEFAULT_BATCH_SIZE = 64;
        static final int DEFAULT_LATENCY_RUNS = 200;
        static final Options DEFAULTS = new Options(DEFAULT_BATCH_SIZE, DEFAULT_LATENCY_RUNS, RunnerOptions.DEFAULT);
    }

    /** Probabilities (row-major, {@code classes} per sample), predictions and measured figures of one variant. */
    record Evaluation(float[] probabilities, int[] predicted, ClassificationMetrics metrics, double latencyUsP50,
                      double throughputPerS) {
        double agreementWith(Evaluation other) {
            int same = 0;
            for (int i = 0; i < predicted.length; i++) {
                same += predicted[i] == other.predicted[i] ? 1 : 0;
            }
            return predicted.length == 0 ? 0 : (double) same / predicted.length;
        }
    }

    private final Options options;

    VariantEvaluator(Options options) {
        this.options = options;
    }

    /** Evaluates a model whose first output is class probabilities (see {@link ProbabilityHead}). */
    Evaluation evaluate(OnnxModel model, Dataset data) throws EdgeLoopException {
        int inputRank = model.inputs().get(0).shape().size();
        if (inputRank != 2 && inputRank != data.featureShape().length + 1) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the model's input " + model.inputs().get(0).shapeText()
                    + " does not fit samples of " + data.name() + " shaped " + Arrays.toString(data.featureShape()));
        }
        int classes = data.classNames().size();
        int width = data.width();
        float[] probabilities = new float[data.size() * classes];
        long start;
        long elapsed;
        try (OrtRunner runner = new OrtRunner(model, options.runner())) {
            start = System.nanoTime();
            for (int from = 0; from < data.size(); from += options.batchSize()) {
                int n = Math.min(options.batchSize(), data.size() - from);
                float[] batch = Arrays.copyOfRange(data.features(), from * width, (from + n) * width);
                float[] out = runner.runFlat(batch, shape(data, n, inputRank));
                System.arraycopy(out, 0, probabilities, from * classes, n * classes);
            }
            elapsed = System.nanoTime() - start;
            double latency = medianLatencyUs(runner, data, inputRank);
            int[] predicted = argmaxRows(probabilities, classes);
            int[] truth = new int[data.size()];
            for (int i = 0; i < truth.length; i++) {
                truth[i] = data.label(i);
            }
            return new Evaluation(probabilities, predicted, ClassificationMetrics.of(truth, predicted, classes),
                    latency, data.size() / (elapsed / 1e9));
        }
    }

    private double medianLatencyUs(OrtRunner runner, Dataset data, int inputRank) throws EdgeLoopException {
        float[] one = Arrays.copyOfRange(data.features(), 0, data.width());
        long[] shape = shape(data, 1, inputRank);
        for (int i = 0; i < options.latencyRuns() / 4; i++) {
            runner.runDiscard(one, shape);
        }
        long[] times = new long[options.latencyRuns()];
        for (int i = 0; i < times.length; i++) {
            long t = System.nanoTime();
            runner.runDiscard(one, shape);
            times[i] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        return times[times.length / 2] / 1e3;
    }

    /** The batch shape the model takes: the dataset's sample shape, or flat rows for a rank-2 input. */
    static long[] shape(Dataset data, int batch, int inputRank) {
        long[] shape = new long[inputRank == 2 ? 2 : data.featureShape().length + 1];
        shape[0] = batch;
        if (inputRank == 2) {
            shape[1] = data.width();
        } else {
            System.arraycopy(data.featureShape(), 0, shape, 1, data.featureShape().length);
        }
        return shape;
    }

    static int[] argmaxRows(float[] flat, int classes) {
        int[] out = new int[flat.length / classes];
        for (int row = 0; row < out.length; row++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (flat[row * classes + k] > flat[row * classes + best]) {
                    best = k;
                }
            }
            out[row] = best;
        }
        return out;
    }
}
