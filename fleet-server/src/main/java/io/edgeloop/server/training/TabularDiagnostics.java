package io.edgeloop.server.training;

import ai.djl.nn.Block;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.eval.RegressionMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Explainability and fairness figures for tabular models, computed on the test split.
 * Permutation importance: how much accuracy (or, for regression, R²) drops when one feature's
 * column is shuffled. Fairness, when a group column is named: accuracy per group, and the
 * largest gap between groups in the rate of predicting the positive class (demographic parity
 * difference) and in the true-positive rate (equal opportunity difference). The positive class is
 * class index 1, the second label in sorted order ({@code 1} after {@code 0}, {@code yes} after {@code no}).
 */
public final class TabularDiagnostics {
    public static final int POSITIVE_CLASS = 1;

    private TabularDiagnostics() {
    }

    /** Feature name to the drop in the score when that feature is permuted (seeded). */
    public static Map<String, Double> permutationImportance(Block block, Dataset test, boolean classifier, long seed) {
        double baseline = score(block, test, classifier);
        Map<String, Double> out = new LinkedHashMap<>();
        Random random = new Random(seed);
        int width = test.width();
        for (int f = 0; f < width; f++) {
            float[] x = test.features().clone();
            for (int i = test.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                float t = x[i * width + f];
                x[i * width + f] = x[j * width + f];
                x[j * width + f] = t;
            }
            Dataset permuted = new Dataset(test.name(), x, test.featureShape(), test.targets(), test.classNames(),
                    test.featureNames());
            String name = f < test.featureNames().size() ? test.featureNames().get(f) : "f" + f;
            out.put(name, baseline - score(block, permuted, classifier));
        }
        return out;
    }

    private static double score(Block block, Dataset d, boolean classifier) {
        if (!classifier) {
            return RegressionMetrics.of(d.targets(), DjlPredictions.values(block, d)).r2();
        }
        int[] predicted = DjlPredictions.classes(block, d);
        long correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == d.label(i)) {
                correct++;
            }
        }
        return d.size() == 0 ? 0 : (double) correct / d.size();
    }

    /** Per-group accuracy and the demographic-parity and equal-opportunity differences. */
    public static Map<String, Object> fairness(int[] truth, int[] predicted, List<String> groups) {
        Map<String, long[]> counts = new TreeMap<>(); // n, correct, predicted positive, actual positive, true positive
        for (int i = 0; i < truth.length; i++) {
            long[] c = counts.computeIfAbsent(groups.get(i), g -> new long[5]);
            c[0]++;
            c[1] += truth[i] == predicted[i] ? 1 : 0;
            c[2] += predicted[i] == POSITIVE_CLASS ? 1 : 0;
            c[3] += truth[i] == POSITIVE_CLASS ? 1 : 0;
            c[4] += truth[i] == POSITIVE_CLASS && predicted[i] == POSITIVE_CLASS ? 1 : 0;
        }
        Map<String, Object> perGroup = new LinkedHashMap<>();
        List<Double> positiveRates = new ArrayList<>();
        List<Double> truePositiveRates = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("samples", c[0]);
            g.put("accuracy", (double) c[1] / c[0]);
            g.put("positive_rate", (double) c[2] / c[0]);
            positiveRates.add((double) c[2] / c[0]);
            if (c[3] > 0) {
                g.put("true_positive_rate", (double) c[4] / c[3]);
                truePositiveRates.add((double) c[4] / c[3]);
            }
            perGroup.put(e.getKey(), g);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("per_group", perGroup);
        out.put("positive_class_index", POSITIVE_CLASS);
        out.put("demographic_parity_difference", spread(positiveRates));
        out.put("equal_opportunity_difference", spread(truePositiveRates));
        return out;
    }

    private static double spread(List<Double> values) {
        return values.isEmpty() ? 0 : values.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                - values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }
}
