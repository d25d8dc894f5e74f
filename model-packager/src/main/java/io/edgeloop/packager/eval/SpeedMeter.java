package io.edgeloop.packager.eval;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.InputShapes;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.TensorInfo;
import io.edgeloop.protocol.EdgeLoopException;
import org.HdrHistogram.Histogram;

/**
 * Measures single-sample latency (HdrHistogram, after warm-up) and batch throughput of one
 * session. Callers choose the session's threads; figures are only comparable at equal threads.
 */
public final class SpeedMeter {
    /** Distinct samples cycled through, so caches do not see one input only. */
    private static final int DISTINCT = 64;

    private SpeedMeter() {
    }

    /** Latency percentiles in microseconds. */
    public record Latency(double p50Us, double p99Us, long count) {
    }

    public static Latency latency(OrtRunner runner, TensorInfo input, Dataset data, int warmup, int runs)
            throws EdgeLoopException {
        int width = data.width();
        int distinct = Math.min(DISTINCT, data.size());
        float[][] samples = new float[distinct][width];
        for (int i = 0; i < distinct; i++) {
            data.copyRow(i, samples[i], 0);
        }
        long[] shape = InputShapes.batchShape(input, 1, width);
        for (int i = 0; i < warmup; i++) {
            runner.runDiscard(samples[i % distinct], shape);
        }
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            runner.runDiscard(samples[i % distinct], shape);
            h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
        }
        return new Latency(h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getTotalCount());
    }

    /** Samples per second at the given batch size, over at least {@code minNanos} after warm-up. */
    public static double throughput(OrtRunner runner, TensorInfo input, Dataset data, int batch, long minNanos)
            throws EdgeLoopException {
        int width = data.width();
        int n = Math.min(batch, data.size());
        float[] x = new float[n * width];
        System.arraycopy(data.features(), 0, x, 0, n * width);
        long[] shape = InputShapes.batchShape(input, n, width);
        for (int i = 0; i < 3; i++) {
            runner.runDiscard(x, shape);
        }
        long t0 = System.nanoTime();
        long runs = 0;
        long elapsed;
        do {
            runner.runDiscard(x, shape);
            runs++;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < minNanos || runs < 3);
        return runs * n / (elapsed / 1e9);
    }

    /**
     * Batch throughput of several sessions compared fairly on a shared machine: batches run
     * alternately (session 1, 2, ..., 1, 2, ...) so load bursts hit all alike, and each session's
     * figure comes from a low percentile of its batch times, the runs no other process preempted.
     *
     * @param percentile which batch time counts, e.g. 20 for the fastest fifth
     * @return samples per second for each runner, in order
     */
    public static double[] interleavedThroughput(java.util.List<OrtRunner> runners, TensorInfo input, Dataset data,
                                                 int batch, int runsEach, double percentile) throws EdgeLoopException {
        int width = data.width();
        int n = Math.min(batch, data.size());
        float[] x = new float[n * width];
        System.arraycopy(data.features(), 0, x, 0, n * width);
        long[] shape = InputShapes.batchShape(input, n, width);
        long[][] times = new long[runners.size()][runsEach];
        for (OrtRunner r : runners) {
            for (int i = 0; i < 3; i++) {
                r.runDiscard(x, shape);
            }
        }
        for (int k = 0; k < runsEach; k++) {
            for (int i = 0; i < runners.size(); i++) {
                long t0 = System.nanoTime();
                runners.get(i).runDiscard(x, shape);
                times[i][k] = System.nanoTime() - t0;
            }
        }
        double[] out = new double[runners.size()];
        for (int i = 0; i < out.length; i++) {
            long[] t = times[i].clone();
            java.util.Arrays.sort(t);
            long chosen = t[(int) Math.min(t.length - 1, Math.floor(percentile / 100.0 * t.length))];
            out[i] = n / (chosen / 1e9);
        }
        return out;
    }
}
