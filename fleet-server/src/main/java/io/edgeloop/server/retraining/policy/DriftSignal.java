package io.edgeloop.server.retraining.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When a device's drift counts for retraining. The signal is <b>model</b> drift, not input drift:
 * a window counts when the accuracy the version reaches there falls more than a threshold below
 * what it is expected to reach ({@link VersionExpectation}): live accuracy where at least
 * {@code minLiveLabels} labels arrived in the window, else the label-free estimate; or, when
 * {@code maxOutputPsi} is set, when the predicted-class distribution moved further than that.
 * The agent's {@code drifted} flag is left out on purpose: it also fires on input features, and a
 * camera that shifted keeps shifted inputs after retraining, so a retrained version serving
 * those devices well would re-trigger retraining for ever.
 *
 * @param lookback                 windows considered, up to now
 * @param maxEstimatedAccuracyDrop a window counts when the estimate is more than this below the expectation; null: off
 * @param maxLiveAccuracyDrop      the same for live accuracy; null: off
 * @param minLiveLabels            labels a window needs for its live accuracy to replace the estimate
 * @param maxOutputPsi             a window counts when its output PSI exceeds this; null: off
 * @param requireDriftedWindows    counting windows that make a device drifted
 */
public record DriftSignal(Duration lookback, Double maxEstimatedAccuracyDrop, Double maxLiveAccuracyDrop,
                          int minLiveLabels, Double maxOutputPsi, int requireDriftedWindows) {
    public static final DriftSignal DEFAULTS = new DriftSignal(Duration.ofMinutes(10), 0.10, 0.10, 20, null, 1);

    public DriftSignal {
        PolicyChecks.positive("signal.lookback", lookback);
        PolicyChecks.optionalUnit("signal.maxEstimatedAccuracyDrop", maxEstimatedAccuracyDrop);
        PolicyChecks.optionalUnit("signal.maxLiveAccuracyDrop", maxLiveAccuracyDrop);
        PolicyChecks.atLeast("signal.minLiveLabels", minLiveLabels, 1);
        if (maxOutputPsi != null && !(maxOutputPsi > 0)) {
            throw new IllegalArgumentException("signal.maxOutputPsi must be positive or null, was " + maxOutputPsi);
        }
        PolicyChecks.atLeast("signal.requireDriftedWindows", requireDriftedWindows, 1);
        if (maxEstimatedAccuracyDrop == null && maxLiveAccuracyDrop == null && maxOutputPsi == null) {
            throw new IllegalArgumentException("the signal needs at least one of maxEstimatedAccuracyDrop,"
                    + " maxLiveAccuracyDrop, maxOutputPsi");
        }
    }

    /** One device's windows judged: whether it drifted, and the figures that say why. */
    public record DeviceVerdict(String deviceId, String modelVersion, boolean drifted, int windows, int countingWindows,
                                Double expectedAccuracy, Double lastAccuracy, String lastAccuracySource, Double worstDrop,
                                double maxOutputPsi, int agentDriftedWindows) {
        public Map<String, Object> figures() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("modelVersion", modelVersion);
            f.put("drifted", drifted);
            f.put("windows", windows);
            f.put("countingWindows", countingWindows);
            f.put("expectedAccuracy", expectedAccuracy);
            f.put("lastAccuracy", lastAccuracy);
            f.put("lastAccuracySource", lastAccuracySource);
            f.put("worstDrop", worstDrop);
            f.put("maxOutputPsi", maxOutputPsi);
            f.put("agentDriftedWindows", agentDriftedWindows);
            return f;
        }
    }

    /**
     * Judges one device's windows. Only the windows of the version it reported last count: after a
     * rollout, the old version's windows say nothing about the new one.
     */
    public DeviceVerdict judge(String deviceId, List<DriftWindowFacts> windows, long nowMillis,
                               Map<String, VersionExpectation> expectations) {
        long since = nowMillis - lookback.toMillis();
        DriftWindowFacts newest = null;
        for (DriftWindowFacts w : windows) {
            if (w.endMillis() >= since && (newest == null || w.endMillis() > newest.endMillis())) {
                newest = w;
            }
        }
        if (newest == null) {
            return new DeviceVerdict(deviceId, null, false, 0, 0, null, null, null, null, 0, 0);
        }
        String version = newest.modelVersion();
        VersionExpectation expectation = expectations.get(version);
        Double expected = expectation == null ? null : expectation.on(deviceId);
        List<DriftWindowFacts> current = new ArrayList<>();
        for (DriftWindowFacts w : windows) {
            if (w.endMillis() >= since && version.equals(w.modelVersion())) {
                current.add(w);
            }
        }
        int counting = 0;
        int agentDrifted = 0;
        Double worstDrop = null;
        double maxPsi = 0;
        for (DriftWindowFacts w : current) {
            Double drop = drop(w, expected);
            if (drop != null && (worstDrop == null || drop > worstDrop)) {
                worstDrop = drop;
            }
            maxPsi = Math.max(maxPsi, w.outputPsi());
            if (counts(w, expected)) {
                counting++;
            }
            if (w.agentDrifted()) {
                agentDrifted++;
            }
        }
        boolean live = newest.liveAccuracy() != null && newest.liveLabels() >= minLiveLabels;
        Double last = live ? newest.liveAccuracy() : newest.estimatedAccuracy();
        return new DeviceVerdict(deviceId, version, counting >= requireDriftedWindows, current.size(), counting, expected,
                last, last == null ? null : live ? "live" : "estimate", worstDrop, maxPsi, agentDrifted);
    }

    private Double drop(DriftWindowFacts w, Double expected) {
        if (expected == null) {
            return null;
        }
        boolean live = w.liveAccuracy() != null && w.liveLabels() >= minLiveLabels;
        Double accuracy = live ? w.liveAccuracy() : w.estimatedAccuracy();
        return accuracy == null ? null : expected - accuracy;
    }

    /** Whether one window counts: labels, where enough arrived, overrule the estimate. */
    boolean counts(DriftWindowFacts w, Double expected) {
        if (maxOutputPsi != null && w.outputPsi() > maxOutputPsi) {
            return true;
        }
        if (expected == null) {
            return false;
        }
        if (w.liveAccuracy() != null && w.liveLabels() >= minLiveLabels) {
            return maxLiveAccuracyDrop != null && expected - w.liveAccuracy() > maxLiveAccuracyDrop;
        }
        return maxEstimatedAccuracyDrop != null && w.estimatedAccuracy() != null
                && expected - w.estimatedAccuracy() > maxEstimatedAccuracyDrop;
    }
}
