package io.edgeloop.packager.data;

import java.util.Map;

/**
 * The data-quality report of reading a CSV dataset: how many rows came in and survived, which
 * were dropped for missing values and which values were imputed (per column, with the value
 * used), and how many exact duplicate rows were removed.
 */
public record CleaningReport(int rowsRead, int rowsKept, int duplicatesRemoved,
                             Map<String, Integer> rowsDroppedForMissing, Map<String, Integer> valuesImputed,
                             Map<String, Double> imputedWith) {

    public CleaningReport {
        rowsDroppedForMissing = Map.copyOf(rowsDroppedForMissing);
        valuesImputed = Map.copyOf(valuesImputed);
        imputedWith = Map.copyOf(imputedWith);
    }
}
