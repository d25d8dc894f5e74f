package io.edgeloop.packager.quantize;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.GraphBuilder;
import io.edgeloop.packager.onnx.InputShapes;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.packager.onnx.TensorInfo;
import io.edgeloop.packager.onnx.proto.OnnxProto.ModelProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the ranges of chosen intermediate tensors by running the fp32 model over a
 * calibration dataset with those tensors added as graph outputs.
 */
public final class Calibrator {
    /** Values kept per tensor for percentiles; beyond this, values are sampled at a fixed stride. */
    static final int MAX_VALUES_PER_TENSOR = 2_000_000;

    private final CalibrationOptions options;
    private final PrintStream progress;

    public Calibrator(CalibrationOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public Map<String, ActivationRange> calibrate(OnnxModel model, Set<String> tensors, Dataset data)
            throws EdgeLoopException {
        if (data.size() == 0) {
            throw new EdgeLoopException(ErrorCode.QUANTIZATION_FAILED, "the calibration dataset is empty");
        }
        TensorInfo input = model.inputs().get(0);
        List<String> wanted = new ArrayList<>(tensors);
        wanted.remove(input.name());
        ModelProto.Builder probe = model.proto().toBuilder();
        Set<String> declared = new java.util.HashSet<>();
        probe.getGraph().getOutputList().forEach(o -> declared.add(o.getName()));
        for (String t : wanted) {
            if (!declared.contains(t)) {
                probe.getGraphBuilder().addOutput(GraphBuilder.valueInfoAnyShape(t, TensorProto.DataType.FLOAT_VALUE));
            }
        }
        int samples = Math.min(options.samples(), data.size());
        int batches = (samples + options.batch() - 1) / options.batch();
        Map<String, Stats> stats = new LinkedHashMap<>();
        progress.printf("calibrating %d tensors on %d samples (%s)%n", tensors.size(), samples, options.method());
        // Calibration runs unoptimized so no fusion removes the tensors it observes.
        RunnerOptions ro = new RunnerOptions(0, RunnerOptions.Optimization.BASIC);
        try (OrtRunner runner = new OrtRunner(probe.build().toByteArray(), ro)) {
            int width = data.width();
            for (int b = 0; b < batches; b++) {
                int start = b * options.batch();
                int n = Math.min(options.batch(), samples - start);
                float[] x = Arrays.copyOfRange(data.features(), start * width, (start + n) * width);
                Map<String, float[]> out = new HashMap<>(runner.runAll(x, InputShapes.batchShape(input, n, width), wanted));
                if (tensors.contains(input.name())) {
                    out.put(input.name(), x);
                }
                for (Map.Entry<String, float[]> e : out.entrySet()) {
                    stats.computeIfAbsent(e.getKey(), k -> new Stats(e.getValue().length * (long) batches))
                            .add(e.getValue());
                }
            }
        }
        Map<String, ActivationRange> ranges = new LinkedHashMap<>();
        for (Map.Entry<String, Stats> e : stats.entrySet()) {
            ranges.put(e.getKey(), options.method() == CalibrationMethod.MINMAX
                    ? new ActivationRange(e.getValue().min, e.getValue().max)
                    : e.getValue().percentileRange(options.percentile()));
        }
        return ranges;
    }

    /** Running min/max plus a strided sample of values for percentiles. */
    private static final class Stats {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        final int stride;
        float[] kept = new float[1024];
        int size;
        long seen;

        Stats(long expectedTotal) {
            stride = (int) Math.max(1, (expectedTotal + MAX_VALUES_PER_TENSOR - 1) / MAX_VALUES_PER_TENSOR);
        }

        void add(float[] values) {
            for (float v : values) {
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
                if (seen++ % stride == 0) {
                    if (size == kept.length) {
                        kept = Arrays.copyOf(kept, size * 2);
                    }
                    kept[size++] = v;
                }
            }
        }

        ActivationRange percentileRange(double percentile) {
            float[] sorted = Arrays.copyOf(kept, size);
            Arrays.sort(sorted);
            int hi = (int) Math.min(size - 1, Math.ceil(percentile / 100.0 * (size - 1)));
            int lo = (int) Math.max(0, Math.floor((1 - percentile / 100.0) * (size - 1)));
            return new ActivationRange(sorted[lo], sorted[hi]);
        }
    }
}
