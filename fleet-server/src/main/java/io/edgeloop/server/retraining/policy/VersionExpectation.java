package io.edgeloop.server.retraining.policy;

import java.util.Map;

/**
 * The accuracy a deployed package version is expected to reach: its baseline's reference
 * accuracy in general, and on the devices whose captures trained it, the accuracy its gate
 * measured on their held-out captures (those devices' inputs differ from the clean reference for
 * good; the version is judged against what it was accepted at there).
 *
 * @param baselineAccuracy the package baseline's accuracy on its labelled reference data; null when unknown
 * @param gatedAccuracy    device id to the version's accuracy on the drifted holdout it was gated on
 */
public record VersionExpectation(Double baselineAccuracy, Map<String, Double> gatedAccuracy) {
    public VersionExpectation {
        gatedAccuracy = gatedAccuracy == null ? Map.of() : Map.copyOf(gatedAccuracy);
    }

    /** The expected accuracy on {@code deviceId}, or null when nothing is known. */
    public Double on(String deviceId) {
        Double gated = gatedAccuracy.get(deviceId);
        return gated != null ? gated : baselineAccuracy;
    }
}
