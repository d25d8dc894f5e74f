package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the stages measured, for the summary table: per model version its registry number,
 * package, rollout and gate decisions; and the moments the camera changed and versions went out.
 */
final class LoopRecord {
    /** One version's figures; filled in by the stages that produce them. */
    static final class Version {
        final String label;
        int registryVersion;
        String packageVersion;
        long packageBytes;
        String rolloutId;
        String rolloutState;
        double rolloutSeconds = Double.NaN;
        long rolloutDoneMillis;
        double cleanAccuracy = Double.NaN;
        double driftedAccuracy = Double.NaN;
        DriftWindows.Stats shiftedDrift;
        DriftWindows.Stats cleanDrift;
        /** Per device (shifted ones and clean ones apart): the same windows one device at a time. */
        final Map<String, DriftWindows.Stats> shiftedDevices = new LinkedHashMap<>();
        final Map<String, DriftWindows.Stats> cleanDevices = new LinkedHashMap<>();
        final List<String> gates = new ArrayList<>();

        Version(String label) {
            this.label = label;
        }
    }

    private final Map<String, Version> versions = new LinkedHashMap<>();
    String model;
    long shiftedAtMillis;
    JsonNode decision;

    synchronized Version version(String label) {
        return versions.computeIfAbsent(label, Version::new);
    }

    synchronized List<Version> versions() {
        return List.copyOf(versions.values());
    }
}
