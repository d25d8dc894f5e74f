package io.edgeloop.packageformat.baseline;

import java.util.List;

/**
 * What a package records at packaging time so a device can tell whether the data it sees still
 * looks like the data the model was evaluated on: per summary feature of the input (see
 * {@link InputSummary}) and for the outputs. Stored in the manifest as {@code baseline}.
 *
 * @param samples  number of reference samples
 * @param tabular  whether inputs were summarised as named columns (else image statistics)
 */
public record DriftBaseline(int samples, boolean tabular, List<FeatureBaseline> inputs, OutputBaseline outputs) {

    public DriftBaseline {
        inputs = List.copyOf(inputs);
    }

    /** This baseline with other output statistics. */
    public DriftBaseline withOutputs(OutputBaseline newOutputs) {
        return new DriftBaseline(samples, tabular, inputs, newOutputs);
    }

    /** The summariser that produced this baseline's input features. */
    public InputSummary summary() {
        List<String> names = inputs.stream().map(FeatureBaseline::name).toList();
        return tabular ? InputSummary.tabular(names) : InputSummary.image(names);
    }
}
