package io.edgeloop.packageformat;

/**
 * Where a package's model came from, so a fleet can trace a deployed version back to its data.
 *
 * @param trainingRunId the training run that produced the model, or null when imported
 * @param datasetSha256 the dataset digest (DatasetDigest in model-packager: the one runs and gate decisions
 *                      record) of the training data, or of the data the variants were evaluated on when
 *                      the packager was not told the training data; null when unknown
 * @param parentVersion the version this one retrains or replaces, or null for a first version
 * @param createdBy     tool and user that built the package
 */
public record Lineage(String trainingRunId, String datasetSha256, String parentVersion, String createdBy) {
}
