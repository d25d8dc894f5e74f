package io.edgeloop.server.retraining.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's retraining policy, validated once: retrain when at least {@code minDriftedDevices}
 * devices show model drift ({@link DriftSignal}) and those devices captured at least
 * {@code minSamples} samples, {@code minLabels} of them labelled, since the last retraining; not
 * within {@code cooldown} of the last one, and never while one is still running. Pure: the clock
 * and the fleet's figures come in as {@link RetrainingEvidence}.
 *
 * @param dryRun  decide and record only: nothing is trained, packaged or rolled out
 * @param rollout the rollout template ({@code POST /api/v1/rollouts} without {@code package}); null: none
 */
public record RetrainingPolicy(boolean enabled, boolean dryRun, int minDriftedDevices, long minSamples, long minLabels,
                               DriftSignal signal, Duration cooldown, DataMix mix, TrainingSpec training,
                               GateSpec gate, PackagingSpec packaging, JsonNode rollout) {
    public static final int DEFAULT_MIN_DRIFTED_DEVICES = 2;
    public static final long DEFAULT_MIN_SAMPLES = 500;
    public static final long DEFAULT_MIN_LABELS = 200;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(30);

    public RetrainingPolicy {
        PolicyChecks.atLeast("minDriftedDevices", minDriftedDevices, 1);
        PolicyChecks.atLeast("minSamples", minSamples, 0);
        PolicyChecks.atLeast("minLabels", minLabels, 2);
        if (minLabels > minSamples && minSamples > 0) {
            throw new IllegalArgumentException("minLabels (" + minLabels + ") cannot exceed minSamples (" + minSamples + ")");
        }
        PolicyChecks.notNegative("cooldown", cooldown);
        if (signal == null || mix == null || training == null || gate == null || packaging == null) {
            throw new IllegalArgumentException("signal, mix, training, gate and package must be set");
        }
        if (rollout != null && !rollout.isObject()) {
            throw new IllegalArgumentException("rollout must be an object (the body of POST /api/v1/rollouts without"
                    + " 'package') or null");
        }
        if (rollout != null && rollout.path("dynamic").asBoolean(false)) {
            throw new IllegalArgumentException("rollout must not be dynamic: a dynamic rollout never ends, and the"
                    + " retraining that started it would hold the one retraining slot for ever");
        }
        if (rollout != null && rollout.has("package")) {
            throw new IllegalArgumentException("rollout must not name a package: the retrained version's package is filled in");
        }
    }

    public static RetrainingPolicy defaults() {
        return new RetrainingPolicy(true, false, DEFAULT_MIN_DRIFTED_DEVICES, DEFAULT_MIN_SAMPLES, DEFAULT_MIN_LABELS,
                DriftSignal.DEFAULTS, DEFAULT_COOLDOWN, DataMix.DEFAULTS, TrainingSpec.DEFAULTS, GateSpec.DEFAULTS,
                PackagingSpec.DEFAULTS, null);
    }

    public RetrainingPolicy withDryRun(boolean dry) {
        return new RetrainingPolicy(enabled, dry, minDriftedDevices, minSamples, minLabels, signal, cooldown, mix,
                training, gate, packaging, rollout);
    }

    /** Decides on {@code e}: every check is evaluated and reported, RETRAIN only when all pass. */
    public RetrainingDecision decide(RetrainingEvidence e) {
        List<String> reasons = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("productionVersion", e.productionVersion());

        Map<String, List<DriftWindowFacts>> byDevice = new TreeMap<>();
        for (DriftWindowFacts w : e.windows()) {
            byDevice.computeIfAbsent(w.deviceId(), k -> new ArrayList<>()).add(w);
        }
        Map<String, Object> devices = new LinkedHashMap<>();
        List<String> drifted = new ArrayList<>();
        for (Map.Entry<String, List<DriftWindowFacts>> d : byDevice.entrySet()) {
            DriftSignal.DeviceVerdict v = signal.judge(d.getKey(), d.getValue(), e.now().toEpochMilli(), e.expectations());
            Map<String, Object> f = v.figures();
            f.put("captures", e.captures().getOrDefault(d.getKey(), 0L));
            f.put("labelled", e.labelled().getOrDefault(d.getKey(), 0L));
            devices.put(d.getKey(), f);
            if (v.drifted()) {
                drifted.add(d.getKey());
            }
        }
        long samples = 0;
        long labels = 0;
        for (String d : drifted) {
            samples += e.captures().getOrDefault(d, 0L);
            labels += e.labelled().getOrDefault(d, 0L);
        }
        figures.put("driftedDevices", drifted);
        figures.put("reportingDevices", byDevice.size());
        figures.put("devices", devices);
        figures.put("samples", samples);
        figures.put("labels", labels);

        if (!enabled) {
            blockers.add("disabled");
            reasons.add("the policy is disabled");
        }
        if (e.retrainingInProgress() != null) {
            blockers.add("inProgress");
            reasons.add("retraining " + e.retrainingInProgress() + " is still running; one at a time");
        }
        long cooldownLeft = 0;
        if (e.lastRetrainingAt() != null) {
            cooldownLeft = Math.max(0, Duration.between(e.now(), e.lastRetrainingAt().plus(cooldown)).toSeconds());
        }
        figures.put("cooldownRemainingSeconds", cooldownLeft);
        if (cooldownLeft > 0) {
            blockers.add("cooldown");
            reasons.add("cool-down: the last retraining was decided at " + e.lastRetrainingAt() + ", " + cooldownLeft
                    + " s of " + cooldown + " left");
        }
        if (e.productionVersion() == null) {
            blockers.add("productionVersion");
            reasons.add("no production version in the registry to retrain from and gate against");
        }
        boolean enoughDevices = drifted.size() >= minDriftedDevices;
        if (!enoughDevices) {
            blockers.add("minDriftedDevices");
        }
        reasons.add(drifted.size() + " device(s) drifted" + (drifted.isEmpty() ? "" : " (" + String.join(", ", drifted) + ")")
                + (enoughDevices ? " >= " : " < ") + "minDriftedDevices " + minDriftedDevices + " " + signalSentence());
        boolean enoughSamples = samples >= minSamples;
        if (!enoughSamples) {
            blockers.add("minSamples");
        }
        reasons.add(samples + " captured samples on the drifted devices" + (enoughSamples ? " >= " : " < ")
                + "minSamples " + minSamples);
        boolean enoughLabels = labels >= minLabels;
        if (!enoughLabels) {
            blockers.add("minLabels");
        }
        reasons.add(labels + " labelled captures on the drifted devices" + (enoughLabels ? " >= " : " < ")
                + "minLabels " + minLabels);
        Map<String, Object> thresholds = new LinkedHashMap<>();
        thresholds.put("minDriftedDevices", minDriftedDevices);
        thresholds.put("minSamples", minSamples);
        thresholds.put("minLabels", minLabels);
        thresholds.put("maxEstimatedAccuracyDrop", signal.maxEstimatedAccuracyDrop());
        thresholds.put("maxLiveAccuracyDrop", signal.maxLiveAccuracyDrop());
        thresholds.put("maxOutputPsi", signal.maxOutputPsi());
        thresholds.put("requireDriftedWindows", signal.requireDriftedWindows());
        thresholds.put("cooldownSeconds", cooldown.toSeconds());
        figures.put("thresholds", thresholds);
        boolean go = blockers.isEmpty();
        if (go && dryRun) {
            reasons.add("dry run: would retrain; nothing is trained, packaged or rolled out");
        }
        return new RetrainingDecision(go ? RetrainingDecision.Action.RETRAIN : RetrainingDecision.Action.WAIT, reasons,
                blockers, figures, drifted);
    }

    private String signalSentence() {
        List<String> parts = new ArrayList<>();
        if (signal.maxLiveAccuracyDrop() != null) {
            parts.add("live accuracy " + signal.maxLiveAccuracyDrop() + " below expected (>= " + signal.minLiveLabels()
                    + " labels)");
        }
        if (signal.maxEstimatedAccuracyDrop() != null) {
            parts.add("estimated accuracy " + signal.maxEstimatedAccuracyDrop() + " below expected");
        }
        if (signal.maxOutputPsi() != null) {
            parts.add("output PSI > " + signal.maxOutputPsi());
        }
        return "(drifted: >= " + signal.requireDriftedWindows() + " window(s) in " + signal.lookback() + " with "
                + String.join(" or ", parts) + ")";
    }
}
