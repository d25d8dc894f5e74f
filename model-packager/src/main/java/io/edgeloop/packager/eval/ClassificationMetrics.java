package io.edgeloop.packager.eval;

import java.util.Arrays;

/**
 * Accuracy, per-class and macro precision/recall/F1 and the confusion matrix of a classifier,
 * computed from true and predicted class indices. The one implementation used by training,
 * evaluation, the registry's gate and the agent's live accuracy.
 *
 * @param confusion {@code confusion[true][predicted]} counts
 */
public record ClassificationMetrics(long samples, double accuracy, double[] precision, double[] recall,
                                    double[] f1, double precisionMacro, double recallMacro, double f1Macro,
                                    long[][] confusion) {

    public static ClassificationMetrics of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels but " + predicted.length + " predictions");
        }
        long[][] confusion = new long[classes][classes];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            confusion[truth[i]][predicted[i]]++;
            if (truth[i] == predicted[i]) {
                correct++;
            }
        }
        double[] precision = new double[classes];
        double[] recall = new double[classes];
        double[] f1 = new double[classes];
        for (int c = 0; c < classes; c++) {
            long tp = confusion[c][c];
            long predictedC = 0;
            long actualC = 0;
            for (int k = 0; k < classes; k++) {
                predictedC += confusion[k][c];
                actualC += confusion[c][k];
            }
            // sklearn's zero_division=0 convention: an empty denominator scores 0.
            precision[c] = predictedC == 0 ? 0 : (double) tp / predictedC;
            recall[c] = actualC == 0 ? 0 : (double) tp / actualC;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        double accuracy = truth.length == 0 ? 0 : (double) correct / truth.length;
        return new ClassificationMetrics(truth.length, accuracy, precision, recall, f1,
                mean(precision), mean(recall), mean(f1), confusion);
    }

    private static double mean(double[] values) {
        return values.length == 0 ? 0 : Arrays.stream(values).average().orElse(0);
    }
}
