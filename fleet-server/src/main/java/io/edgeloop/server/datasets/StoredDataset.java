package io.edgeloop.server.datasets;

import io.edgeloop.packager.data.CleaningReport;

import java.util.List;
import java.util.Map;

/**
 * A dataset imported into the server, as stored: the cleaned CSV file (its {@code sha256} and
 * {@code sizeBytes}), the {@code datasetSha256} that runs trained on it record as lineage, its
 * data rows, its columns with their role, the PII rules applied at import and the data-quality
 * report of reading it. No raw value of a dropped or hashed column is kept anywhere.
 *
 * @param task  {@code classification} or {@code regression}
 * @param group the group column (per-group metrics) or null
 */
public record StoredDataset(String name, String label, String task, String group, String sha256,
                            String datasetSha256, long sizeBytes, int rows, List<Column> columns,
                            Map<String, String> rules, CleaningReport report, String createdAt, String createdBy) {

    /** Roles of a stored column. */
    public enum Role { LABEL, FEATURE, GROUP, HASHED }

    /** A stored column; a hashed column is never a feature. */
    public record Column(String name, Role role) {
    }

    public StoredDataset {
        columns = List.copyOf(columns);
        rules = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rules)); // in the order written
    }

    /** How training refers to it. */
    public String spec() {
        return DatasetStore.SPEC_PREFIX + name;
    }
}
