package io.edgeloop.packager.data;

import java.util.List;

/**
 * A cleaned tabular dataset with what cleaning found, and the group of each row when the spec
 * named a group column (for fairness metrics; empty otherwise).
 */
public record TabularData(Dataset dataset, List<String> groups, CleaningReport report) {

    public TabularData {
        groups = List.copyOf(groups);
    }

    public boolean hasGroups() {
        return !groups.isEmpty();
    }
}
