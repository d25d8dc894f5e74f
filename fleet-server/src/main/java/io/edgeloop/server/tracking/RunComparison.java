package io.edgeloop.server.tracking;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Two runs side by side: the parameters that differ, and for every numeric top-level metric
 * both values and the difference {@code b - a}.
 */
public record RunComparison(String runA, String runB, boolean sameDataset, Map<String, Object[]> parameterChanges,
                            Map<String, double[]> metrics) {

    public static RunComparison of(RunRecord a, RunRecord b) {
        Map<String, Object[]> changes = new LinkedHashMap<>();
        for (String key : new TreeSet<>(union(a.parameters(), b.parameters()))) {
            Object va = a.parameters().get(key);
            Object vb = b.parameters().get(key);
            if (!Objects.equals(va, vb)) {
                changes.put(key, new Object[] {va, vb});
            }
        }
        Map<String, double[]> metrics = new LinkedHashMap<>();
        for (String key : new TreeSet<>(union(a.metrics(), b.metrics()))) {
            if (a.metrics().get(key) instanceof Number na && b.metrics().get(key) instanceof Number nb) {
                metrics.put(key, new double[] {na.doubleValue(), nb.doubleValue(), nb.doubleValue() - na.doubleValue()});
            }
        }
        return new RunComparison(a.id(), b.id(), a.datasetSha256().equals(b.datasetSha256()), changes, metrics);
    }

    private static java.util.Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
