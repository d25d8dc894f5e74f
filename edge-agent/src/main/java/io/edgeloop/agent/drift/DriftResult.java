package io.edgeloop.agent.drift;

import java.util.List;

/**
 * A drift report over one window of live traffic compared with the package baseline.
 *
 * @param startMillis        when the window's first sample arrived (epoch millis)
 * @param outputPsi          PSI of the predicted-class distribution against the baseline's
 * @param outputChiSquareP   chi-square goodness-of-fit p-value of the predicted classes
 * @param estimatedAccuracy  label-free: baseline accuracy + (window mean confidence - baseline
 *                           mean confidence); NaN when the baseline has no accuracy
 * @param liveAccuracy       accuracy on the window's predictions that received ground-truth
 *                           feedback; NaN when none did
 * @param reasons            why the window counts as drifted; empty when it does not
 */
public record DriftResult(String model, String version, long windowIndex, long startMillis, long endMillis,
                          int samples, List<FeatureDrift> features, double[] classFractions, double outputPsi,
                          double outputChiSquareP, double meanConfidence,
                          double baselineMeanConfidence, double estimatedAccuracy, double baselineAccuracy,
                          long labelled, double liveAccuracy, boolean drifted, List<String> reasons) {

    public DriftResult {
        features = List.copyOf(features);
        reasons = List.copyOf(reasons);
    }
}
