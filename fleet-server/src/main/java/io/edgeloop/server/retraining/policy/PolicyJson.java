package io.edgeloop.server.retraining.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The policy's JSON ({@code PUT /api/v1/retraining/policies/{model}}): every field optional with
 * the defaults of {@link RetrainingPolicy#defaults()}; an unknown field is refused by name, so a
 * typo does not silently keep a default.
 */
public final class PolicyJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("enabled", "dryRun", "minDriftedDevices", "minSamples", "minLabels",
            "signal", "cooldown", "mix", "training", "gate", "package", "rollout", "model", "updatedAt", "updatedBy");
    private static final Set<String> SIGNAL = Set.of("lookback", "maxEstimatedAccuracyDrop", "maxLiveAccuracyDrop",
            "minLiveLabels", "maxOutputPsi", "requireDriftedWindows");
    private static final Set<String> MIX = Set.of("originalDataset", "originalSamples", "capturedFraction",
            "holdoutFraction", "maxCaptures");
    private static final Set<String> TRAINING = Set.of("model", "epochs", "hiddenLayers", "learningRate", "batchSize", "seed");
    private static final Set<String> GATE = Set.of("cleanDataset", "maxCleanDrop", "minDriftedGain");
    private static final Set<String> PACKAGE = Set.of("calibrationDataset", "referenceDataset");

    private PolicyJson() {
    }

    /** Reads a policy; throws IllegalArgumentException naming the bad field. */
    public static RetrainingPolicy parse(JsonNode b) {
        if (b == null || !b.isObject()) {
            throw new IllegalArgumentException("the policy must be a JSON object");
        }
        known("", b, TOP);
        RetrainingPolicy d = RetrainingPolicy.defaults();
        JsonNode s = object(b, "signal");
        known("signal.", s, SIGNAL);
        DriftSignal ds = DriftSignal.DEFAULTS;
        DriftSignal signal = new DriftSignal(duration(s, "lookback", ds.lookback(), "signal."),
                optionalDouble(s, "maxEstimatedAccuracyDrop", ds.maxEstimatedAccuracyDrop()),
                optionalDouble(s, "maxLiveAccuracyDrop", ds.maxLiveAccuracyDrop()),
                s.path("minLiveLabels").asInt(ds.minLiveLabels()),
                optionalDouble(s, "maxOutputPsi", ds.maxOutputPsi()),
                s.path("requireDriftedWindows").asInt(ds.requireDriftedWindows()));
        JsonNode m = object(b, "mix");
        known("mix.", m, MIX);
        DataMix dm = DataMix.DEFAULTS;
        DataMix mix = new DataMix(m.path("originalDataset").asText(dm.originalDataset()),
                m.path("originalSamples").asInt(dm.originalSamples()),
                m.path("capturedFraction").asDouble(dm.capturedFraction()),
                m.path("holdoutFraction").asDouble(dm.holdoutFraction()), m.path("maxCaptures").asInt(dm.maxCaptures()));
        JsonNode t = object(b, "training");
        known("training.", t, TRAINING);
        TrainingSpec dt = TrainingSpec.DEFAULTS;
        List<Integer> hidden = new ArrayList<>();
        if (t.has("hiddenLayers")) {
            t.get("hiddenLayers").forEach(n -> hidden.add(n.asInt()));
        } else {
            hidden.addAll(dt.hiddenLayers());
        }
        TrainingSpec training = new TrainingSpec(t.path("model").asText(dt.model()), t.path("epochs").asInt(dt.epochs()),
                hidden, t.path("learningRate").asDouble(dt.learningRate()), t.path("batchSize").asInt(dt.batchSize()),
                t.path("seed").asLong(dt.seed()));
        JsonNode g = object(b, "gate");
        known("gate.", g, GATE);
        GateSpec dg = GateSpec.DEFAULTS;
        GateSpec gate = new GateSpec(g.path("cleanDataset").asText(dg.cleanDataset()),
                g.path("maxCleanDrop").asDouble(dg.maxCleanDrop()), g.path("minDriftedGain").asDouble(dg.minDriftedGain()));
        JsonNode p = object(b, "package");
        known("package.", p, PACKAGE);
        PackagingSpec dp = PackagingSpec.DEFAULTS;
        PackagingSpec packaging = new PackagingSpec(p.path("calibrationDataset").asText(dp.calibrationDataset()),
                p.path("referenceDataset").asText(dp.referenceDataset()));
        JsonNode rollout = b.get("rollout");
        return new RetrainingPolicy(b.path("enabled").asBoolean(d.enabled()), b.path("dryRun").asBoolean(d.dryRun()),
                b.path("minDriftedDevices").asInt(d.minDriftedDevices()), b.path("minSamples").asLong(d.minSamples()),
                b.path("minLabels").asLong(d.minLabels()), signal, duration(b, "cooldown", d.cooldown(), ""), mix,
                training, gate, packaging, rollout == null || rollout.isNull() ? null : rollout.deepCopy());
    }

    public static ObjectNode write(RetrainingPolicy p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("enabled", p.enabled()).put("dryRun", p.dryRun()).put("minDriftedDevices", p.minDriftedDevices())
                .put("minSamples", p.minSamples()).put("minLabels", p.minLabels());
        ObjectNode s = o.putObject("signal");
        s.put("lookback", p.signal().lookback().toString());
        putOptional(s, "maxEstimatedAccuracyDrop", p.signal().maxEstimatedAccuracyDrop());
        putOptional(s, "maxLiveAccuracyDrop", p.signal().maxLiveAccuracyDrop());
        s.put("minLiveLabels", p.signal().minLiveLabels());
        putOptional(s, "maxOutputPsi", p.signal().maxOutputPsi());
        s.put("requireDriftedWindows", p.signal().requireDriftedWindows());
        o.put("cooldown", p.cooldown().toString());
        ObjectNode m = o.putObject("mix");
        m.put("originalDataset", p.mix().originalDataset()).put("originalSamples", p.mix().originalSamples())
                .put("capturedFraction", p.mix().capturedFraction()).put("holdoutFraction", p.mix().holdoutFraction())
                .put("maxCaptures", p.mix().maxCaptures());
        ObjectNode t = o.putObject("training");
        t.put("model", p.training().model()).put("epochs", p.training().epochs());
        p.training().hiddenLayers().forEach(t.putArray("hiddenLayers")::add);
        t.put("learningRate", p.training().learningRate()).put("batchSize", p.training().batchSize())
                .put("seed", p.training().seed());
        o.putObject("gate").put("cleanDataset", p.gate().cleanDataset()).put("maxCleanDrop", p.gate().maxCleanDrop())
                .put("minDriftedGain", p.gate().minDriftedGain());
        o.putObject("package").put("calibrationDataset", p.packaging().calibrationDataset())
                .put("referenceDataset", p.packaging().referenceDataset());
        if (p.rollout() == null) {
            o.putNull("rollout");
        } else {
            o.set("rollout", p.rollout().deepCopy());
        }
        return o;
    }

    private static void putOptional(ObjectNode o, String field, Double v) {
        if (v == null) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    private static JsonNode object(JsonNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            return JSON.createObjectNode();
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("'" + field + "' must be an object");
        }
        return n;
    }

    private static void known(String prefix, JsonNode n, Set<String> fields) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new IllegalArgumentException("unknown policy field '" + prefix + f + "'; known: "
                        + String.join(", ", new java.util.TreeSet<>(fields)));
            }
        }
    }

    private static Double optionalDouble(JsonNode n, String field, Double fallback) {
        if (!n.has(field)) {
            return fallback;
        }
        JsonNode v = n.get(field);
        if (v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a number or null");
        }
        return v.asDouble();
    }

    private static Duration duration(JsonNode n, String field, Duration fallback, String prefix) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        try {
            return Duration.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(prefix + field + " must be an ISO-8601 duration such as PT30M, was '"
                    + v.asText() + "'");
        }
    }
}
