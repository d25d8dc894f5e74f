package io.edgeloop.bench;

import io.edgeloop.agent.drift.DriftMonitor;
import io.edgeloop.agent.drift.DriftOptions;
import io.edgeloop.agent.drift.DriftResult;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.InputSummary;
import io.edgeloop.packager.baseline.BaselineBuilder;
import io.edgeloop.packager.data.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What the drift monitor costs per served image, in process: {@link DriftMonitor#observe} (the
 * image's summary features, log-probabilities, margin and calibrated score, the window update);
 * each window's tests when it closes, per window and amortised over its images, at several
 * window sizes; and the input summary alone, the old four features against today's eight. Fashion-MNIST test images with
 * seeded stand-in probabilities (the cost does not depend on the model).
 *
 * <p>Run: {@code tests/bench DriftCostBenchmark [--images N] [--rounds R]}. Timing figures: take
 * them on a quiet machine.
 */
public final class DriftCostBenchmark {
    public static void main(String[] args) throws Exception {
        int images = intArg(args, "--images", 200_000);
        int rounds = intArg(args, "--rounds", 5);
        Dataset test = TestImages.testSet();
        int n = test.size();
        SplittableRandom r = new SplittableRandom(9);
        float[][] probs = new float[n][];
        BaselineBuilder builder = new BaselineBuilder(InputSummary.image(), test.classNames(), BaselineBuilder.DEFAULT_BINS);
        for (int i = 0; i < n; i++) {
            probs[i] = standIn(r, test.label(i));
            if (i < n / 2) {
                builder.add(test.features(), i * 784, 784, probs[i], test.label(i));
            }
        }
        DriftBaseline baseline = builder.build();
        System.out.printf("DriftCostBenchmark: %d CPUs, %d images per round, best of %d rounds%n",
                Runtime.getRuntime().availableProcessors(), images, rounds);

        InputSummary old = InputSummary.image(List.of("mean", "std", "ink_fraction", "max"));
        InputSummary now = InputSummary.image();
        System.out.printf(Locale.ROOT, "input summary alone: %.2f us per image for all %d features (one pass computes"
                + " them all; the four-feature summary of older baselines reads the same pass)%n",
                best(rounds, () -> summarize(now, test, images)) / images / 1000.0, now.names().size());
        System.out.printf(Locale.ROOT, "input summary, old four-feature code path (mean/std/ink/max only): %.2f us per"
                + " image%n", best(rounds, () -> oldSummary(test, images)) / images / 1000.0);
        // Per image: observe() into a window that does not close during the round.
        double observeNs = best(rounds, () -> {
            DriftMonitor monitor = new DriftMonitor("m", "1", baseline, new DriftOptions(images + 1, 50,
                    DriftOptions.DEFAULT_ALPHA, DriftOptions.DEFAULT_ESTIMATE_SHIFT_LIMIT, 0), result -> { });
            for (int i = 0; i < images; i++) {
                int row = n / 2 + i % (n / 2);
                monitor.observe(null, test.features(), row * 784, 784, probs[row], 0);
            }
            return monitor.current().isPresent();
        });
        System.out.printf(Locale.ROOT, "observe (summary, log-probabilities, margin, calibrated score, window update):"
                + " %.2f us per image%n", observeNs / images / 1000.0);
        // Per window: the tests when it closes, amortised over its images.
        for (int window : new int[]{50, 100, 500, 1000, 5000}) {
            int windows = Math.max(4, 20_000 / window);
            List<DriftResult> sink = new ArrayList<>();
            DriftMonitor monitor = new DriftMonitor("m", "1", baseline, new DriftOptions(window, Math.min(50, window),
                    DriftOptions.DEFAULT_ALPHA, DriftOptions.DEFAULT_ESTIMATE_SHIFT_LIMIT, 0), sink::add);
            long testNs = Long.MAX_VALUE;
            SplittableRandom pick = new SplittableRandom(window);
            for (int round = 0; round <= rounds; round++) {
                long total = 0;
                for (int w = 0; w < windows; w++) {
                    for (int i = 0; i < window - 1; i++) {
                        int row = n / 2 + pick.nextInt(n / 2);
                        monitor.observe(null, test.features(), row * 784, 784, probs[row], 0);
                    }
                    int row = n / 2 + pick.nextInt(n / 2);
                    long t = System.nanoTime();
                    // The window's last sample closes it and runs the tests.
                    monitor.observe(null, test.features(), row * 784, 784, probs[row], 0);
                    total += System.nanoTime() - t;
                }
                if (round > 0) {
                    testNs = Math.min(testNs, total / windows);
                }
            }
            System.out.printf(Locale.ROOT, "window tests, window %4d: %.0f us per window, %.2f us per image amortised"
                            + " (%d of %d random clean windows drifted)%n", window, testNs / 1000.0,
                    testNs / 1000.0 / window, sink.stream().filter(DriftResult::drifted).count(), sink.size());
        }
        System.out.println("(inference of the CNN itself: several hundred us per image on this CPU)");
    }

    private static float[] standIn(SplittableRandom r, int label) {
        float[] p = new float[10];
        int top = r.nextDouble() < 0.9 ? label : r.nextInt(10);
        double c = 0.5 + 0.5 * r.nextDouble();
        for (int k = 0; k < 10; k++) {
            p[k] = (float) (k == top ? c : (1 - c) / 9);
        }
        return p;
    }

    private static long summarize(InputSummary s, Dataset test, int images) {
        double sink = 0;
        for (int i = 0; i < images; i++) {
            sink += s.summarize(test.features(), (i % test.size()) * 784, 784)[0];
        }
        return (long) sink;
    }

    /** The summary as the agent computed it before the sharpness and geometry signals. */
    private static long oldSummary(Dataset test, int images) {
        float[] x = test.features();
        double sink = 0;
        for (int s = 0; s < images; s++) {
            int offset = (s % test.size()) * 784;
            double sum = 0;
            double sumSq = 0;
            double max = Double.NEGATIVE_INFINITY;
            int ink = 0;
            for (int i = offset; i < offset + 784; i++) {
                float v = x[i];
                sum += v;
                sumSq += (double) v * v;
                max = Math.max(max, v);
                if (v > 0.5f) {
                    ink++;
                }
            }
            double mean = sum / 784;
            sink += mean + Math.sqrt(Math.max(0, sumSq / 784 - mean * mean)) + ink + max;
        }
        return (long) sink;
    }

    /** Best wall time of {@code rounds} runs, in nanoseconds (the first run is a warm-up). */
    private static double best(int rounds, java.util.concurrent.Callable<?> body) throws Exception {
        body.call();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            body.call();
            best = Math.min(best, System.nanoTime() - t);
        }
        return best;
    }

    private static int intArg(String[] args, String name, int def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return def;
    }
}
