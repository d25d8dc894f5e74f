package io.edgeloop.agent.store;

import io.edgeloop.packageformat.baseline.DriftBaseline;

import java.util.List;

/**
 * What the agent needs to know about one installed model version, written as {@code model.json}
 * beside the model file when the version is installed.
 *
 * @param framework {@code onnx} or {@code torchscript}: picks the engine
 * @param modelFile the model file's name inside the version directory
 * @param variant   the package variant installed (e.g. {@code fp32}, {@code int8}), or {@code default}
 * @param classes   class labels in output order; empty when unknown
 * @param baseline  the drift baseline from the package; null when the package has none
 */
public record ModelDescriptor(String name, String version, String framework, String modelFile, String variant,
                              List<String> classes, DriftBaseline baseline) {

    public ModelDescriptor {
        classes = classes == null ? List.of() : List.copyOf(classes);
    }
}
