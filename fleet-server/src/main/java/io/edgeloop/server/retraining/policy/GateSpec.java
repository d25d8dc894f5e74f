package io.edgeloop.server.retraining.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The retraining gate: the candidate passes when, against the production version, it is at least
 * {@code minDriftedGain} better on the drifted holdout (0: not worse) <b>and</b> loses at most
 * {@code maxCleanDrop} on the clean dataset.
 */
public record GateSpec(String cleanDataset, double maxCleanDrop, double minDriftedGain) {
    public static final GateSpec DEFAULTS = new GateSpec("fashion-mnist:test", 0.01, 0.0);

    public GateSpec {
        PolicyChecks.text("gate.cleanDataset", cleanDataset);
        if (!(maxCleanDrop >= 0 && maxCleanDrop < 1)) {
            throw new IllegalArgumentException("gate.maxCleanDrop must be in [0, 1), was " + maxCleanDrop);
        }
        if (!(minDriftedGain > -1 && minDriftedGain < 1)) {
            throw new IllegalArgumentException("gate.minDriftedGain must be in (-1, 1), was " + minDriftedGain);
        }
    }

    /** The gate's verdict with its four accuracies. */
    public record Result(double driftedCandidate, double driftedProduction, int driftedSamples, double cleanCandidate,
                         double cleanProduction, int cleanSamples, boolean driftedPassed, boolean cleanPassed,
                         String reason) {
        public boolean passed() {
            return driftedPassed && cleanPassed;
        }

        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> drifted = new LinkedHashMap<>();
            drifted.put("candidate", driftedCandidate);
            drifted.put("production", driftedProduction);
            drifted.put("samples", driftedSamples);
            drifted.put("passed", driftedPassed);
            Map<String, Object> clean = new LinkedHashMap<>();
            clean.put("candidate", cleanCandidate);
            clean.put("production", cleanProduction);
            clean.put("samples", cleanSamples);
            clean.put("passed", cleanPassed);
            out.put("drifted", drifted);
            out.put("clean", clean);
            out.put("passed", passed());
            out.put("reason", reason);
            return out;
        }
    }

    public Result judge(double driftedCandidate, double driftedProduction, int driftedSamples, double cleanCandidate,
                        double cleanProduction, int cleanSamples) {
        boolean drifted = driftedCandidate >= driftedProduction + minDriftedGain;
        boolean clean = cleanCandidate >= cleanProduction - maxCleanDrop;
        String reason = String.format(java.util.Locale.ROOT,
                "drifted holdout (%d): candidate %.4f %s production %.4f + %.4f; clean %s (%d): candidate %.4f %s"
                        + " production %.4f - %.4f", driftedSamples, driftedCandidate, drifted ? ">=" : "<",
                driftedProduction, minDriftedGain, cleanDataset, cleanSamples, cleanCandidate, clean ? ">=" : "<",
                cleanProduction, maxCleanDrop);
        return new Result(driftedCandidate, driftedProduction, driftedSamples, cleanCandidate, cleanProduction,
                cleanSamples, drifted, clean, reason);
    }
}
