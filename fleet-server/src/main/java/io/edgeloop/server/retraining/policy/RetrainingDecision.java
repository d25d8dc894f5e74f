package io.edgeloop.server.retraining.policy;

import java.util.List;
import java.util.Map;

/**
 * What the policy decided: retrain or wait, every check's outcome as a sentence, the names of the
 * checks that failed ({@code blockers}: disabled, inProgress, cooldown, productionVersion,
 * minDriftedDevices, minSamples, minLabels; empty for RETRAIN), and the figures
 * it decided on (production version, drifted devices, per-device signal, samples, labels,
 * cool-down left, the planned mix).
 */
public record RetrainingDecision(Action action, List<String> reasons, List<String> blockers,
                                 Map<String, Object> figures, List<String> driftedDevices) {
    public enum Action { RETRAIN, WAIT }

    public RetrainingDecision {
        reasons = List.copyOf(reasons);
        blockers = List.copyOf(blockers);
        driftedDevices = List.copyOf(driftedDevices);
    }

    public boolean retrain() {
        return action == Action.RETRAIN;
    }
}
