package io.edgeloop.packageformat.baseline;

import java.util.List;

/**
 * The reference distribution of a classifier's outputs on the reference data.
 *
 * @param classFractions      fraction of reference samples predicted as each class (times the
 *                            baseline's {@code samples}, the reference class counts the device's
 *                            homogeneity test compares with)
 * @param confidenceEdges     interior edges of the top-1 confidence bins
 * @param confidenceFractions fraction of reference samples per confidence bin
 * @param meanConfidence      mean top-1 probability on the reference data
 * @param accuracy            measured accuracy on the labelled reference data
 * @param scoreOutput         the model output holding the class scores; {@code null} in packages
 *                            made before outputs were kept as the model's own (the first output
 *                            of the right width then)
 * @param scores              {@code "logits"} or {@code "probabilities"}: what that output holds,
 *                            as measured at packaging time; {@code null} in older packages (the
 *                            agent then looks at the values)
 * @param margin              reference distribution of the top-1 minus top-2 log-probability,
 *                            or {@code null} in older packages
 * @param calibration         the label-free accuracy estimator fitted on the labelled reference
 *                            data, or {@code null} when there were no labels or in older packages
 */
public record OutputBaseline(List<String> classes, double[] classFractions, double[] confidenceEdges,
                             double[] confidenceFractions, double meanConfidence, double accuracy,
                             String scoreOutput, String scores, FeatureBaseline margin,
                             AccuracyCalibration calibration) {
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";

    public OutputBaseline {
        classes = List.copyOf(classes);
        if (classFractions.length != classes.size()) {
            throw new IllegalArgumentException(classFractions.length + " class fractions for "
                    + classes.size() + " classes");
        }
        if (scores != null && !scores.equals(LOGITS) && !scores.equals(PROBABILITIES)) {
            throw new IllegalArgumentException("scores must be '" + LOGITS + "' or '" + PROBABILITIES + "', not '" + scores + "'");
        }
    }

    /** An output baseline as packages made before calibration recorded it. */
    public OutputBaseline(List<String> classes, double[] classFractions, double[] confidenceEdges,
                          double[] confidenceFractions, double meanConfidence, double accuracy) {
        this(classes, classFractions, confidenceEdges, confidenceFractions, meanConfidence, accuracy, null, null, null,
                null);
    }

    /** This baseline with another accuracy calibration. */
    public OutputBaseline withCalibration(AccuracyCalibration newCalibration) {
        return new OutputBaseline(classes, classFractions, confidenceEdges, confidenceFractions, meanConfidence, accuracy,
                scoreOutput, scores, margin, newCalibration);
    }

    /** This baseline saying which output holds the class scores and what kind they are. */
    public OutputBaseline withScores(String output, String kind) {
        return new OutputBaseline(classes, classFractions, confidenceEdges, confidenceFractions, meanConfidence, accuracy,
                output, kind, margin, calibration);
    }
}
