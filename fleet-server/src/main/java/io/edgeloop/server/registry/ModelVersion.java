package io.edgeloop.server.registry;

import java.util.Map;

/**
 * One registered version of a named model, with its lineage: the training run that produced it,
 * the dataset's sha256, and the version that was in production when it was registered.
 *
 * @param parentVersion null for a model's first version
 */
public record ModelVersion(String name, int version, String runId, String datasetSha256, Integer parentVersion,
                           ModelStage stage, String modelPath, Map<String, Object> metrics, String createdAt) {

    public ModelVersion {
        metrics = Map.copyOf(metrics);
    }

    public ModelVersion withStage(ModelStage next) {
        return new ModelVersion(name, version, runId, datasetSha256, parentVersion, next, modelPath, metrics, createdAt);
    }
}
