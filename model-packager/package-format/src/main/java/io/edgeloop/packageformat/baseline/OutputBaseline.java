package io.edgeloop.packageformat.baseline;

import java.util.List;

/**
 * The reference distribution of a classifier's outputs on the reference data.
 *
 * @param classFractions      fraction of reference samples predicted as each class
 * @param confidenceEdges     interior edges of the top-1 confidence bins
 * @param confidenceFractions fraction of reference samples per confidence bin
 * @param meanConfidence      mean top-1 probability on the reference data
 * @param accuracy            measured accuracy on the labelled reference data; the label-free
 *                            estimate on the device shifts it by the change in mean confidence
 */
public record OutputBaseline(List<String> classes, double[] classFractions, double[] confidenceEdges,
                             double[] confidenceFractions, double meanConfidence, double accuracy) {

    public OutputBaseline {
        classes = List.copyOf(classes);
        if (classFractions.length != classes.size()) {
            throw new IllegalArgumentException(classFractions.length + " class fractions for "
                    + classes.size() + " classes");
        }
    }
}
