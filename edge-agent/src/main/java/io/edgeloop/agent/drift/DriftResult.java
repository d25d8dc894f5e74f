package io.edgeloop.agent.drift;

import java.util.List;

/**
 * A drift report over one window of live traffic compared with the package baseline.
 *
 * @param startMillis           when the window's first sample arrived (epoch millis)
 * @param features              the continuous signals (input features, output margin), each tested
 * @param classes               per class, predicted count against the baseline's expectation
 * @param outputPsi             PSI of the predicted-class distribution (an effect size)
 * @param outputChiSquare       chi-square statistic of the class homogeneity test
 * @param outputChiSquareP      its p-value (Monte Carlo when counts are small)
 * @param outputThreshold       the level it was tested at
 * @param estimatedAccuracy     label-free accuracy estimate (ATC on temperature-scaled negative
 *                              entropy, see the package's calibration); for packages without one,
 *                              baseline accuracy + (mean confidence - baseline mean confidence)
 * @param estimateLow           lower end of its 95 % interval (NaN without a calibration)
 * @param estimateHigh          upper end of its 95 % interval
 * @param estimateMethod        how it was estimated
 * @param estimateOutOfRange    whether inputs moved beyond what the estimator can vouch for
 * @param liveAccuracy          accuracy on the feedback received during the window; NaN when none
 * @param estimateError         estimate minus live accuracy; NaN without feedback
 * @param alpha                 the family-wise false-alarm level of the window
 * @param tests                 how many tests shared it
 * @param reasons               each drifted signal with its statistic, p-value and threshold
 * @param summary               one sentence saying what changed
 */
public record DriftResult(String model, String version, long windowIndex, long startMillis, long endMillis,
                          int samples, List<FeatureDrift> features, double[] classFractions, List<ClassCount> classes,
                          double outputPsi, double outputChiSquare, double outputChiSquareP, double outputThreshold,
                          boolean outputDrifted, double meanConfidence, double baselineMeanConfidence,
                          double estimatedAccuracy, double estimateLow, double estimateHigh, String estimateMethod,
                          boolean estimateOutOfRange, double baselineAccuracy, long labelled, double liveAccuracy,
                          double estimateError, double alpha, int tests, boolean drifted, List<String> reasons,
                          String summary) {

    public DriftResult {
        features = List.copyOf(features);
        classes = List.copyOf(classes);
        reasons = List.copyOf(reasons);
    }
}
