package io.edgeloop.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobValidation;
import io.edgeloop.server.rollout.policy.AbortCriteria;
import io.edgeloop.server.rollout.policy.ExponentialRate;
import io.edgeloop.server.rollout.policy.FailureType;
import io.edgeloop.server.rollout.policy.GateThresholds;
import io.edgeloop.server.rollout.policy.MaintenanceWindow;
import io.edgeloop.server.rollout.policy.RetryPolicy;
import io.edgeloop.server.rollout.policy.WaveDefaults;
import io.edgeloop.server.rollout.policy.WavePlan;
import io.edgeloop.server.rollout.policy.WaveSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an operator asked for in {@code POST /api/v1/rollouts}, validated once: the package, the
 * target, the waves (explicit, or one wave paced by an exponential rate), gate thresholds,
 * validation on the device, timeouts, retries, priority, start time, maintenance window and
 * approval. Stored as the JSON of {@link #toJson()}, which {@link #parse} reads back.
 *
 * @param rate null: every wave's devices are notified at once
 * @param gate null: no quality gate (a wave advances on its success threshold and soak)
 * @param window null: any time
 */
public record RolloutDefinition(String packageName, String packageVersion, Target target, boolean dynamic,
                                List<WaveSpec> waves, ExponentialRate rate, GateThresholds gate,
                                JobValidation validation, Timeouts timeouts, int retries, int priority,
                                Instant startAt, Window window, boolean requiresApproval) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int MAX_RETRIES = 10;

    /** Exactly one of: a group, a tag filter (all must match), a device list. */
    public record Target(String group, Map<String, String> tags, List<String> devices) {
        public Target {
            tags = tags == null ? null : Map.copyOf(tags);
            devices = devices == null ? null : List.copyOf(devices);
        }
    }

    /**
     * @param inProgress from notification to a terminal state; then TIMED_OUT
     * @param step longest time in one step (or QUEUED); zero: off
     * @param liveness longest silence of a device with a live execution, or after it activated the
     *     version while its wave soaks; then FAILED with DEVICE_SILENT; zero: off
     */
    public record Timeouts(Duration inProgress, Duration step, Duration liveness) {
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofMinutes(30), Duration.ZERO, Duration.ZERO);
    }

    /** A maintenance window: opens at each firing of the 5-field UTC cron, stays open {@code duration}. */
    public record Window(String cron, Duration duration) {
        public MaintenanceWindow policy() {
            return new MaintenanceWindow(cron, duration);
        }
    }

    public WavePlan plan() {
        return WavePlan.of(waves);
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(retries, EnumSet.of(JobExecutionState.FAILED, JobExecutionState.TIMED_OUT));
    }

    /** {@code NAME:VERSION}. */
    public String packageRef() {
        return packageName + ":" + packageVersion;
    }

    /** Reads and validates a request body (or a stored definition); INVALID_ARGUMENT names what is wrong. */
    public static RolloutDefinition parse(JsonNode body) throws EdgeLoopException {
        try {
            return read(body);
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "invalid rollout: " + e.getMessage(), e);
        }
    }

    private static RolloutDefinition read(JsonNode body) throws EdgeLoopException {
        if (body == null || !body.isObject()) {
            throw bad("the rollout must be a JSON object");
        }
        String pkg = text(body, "package", true);
        int colon = pkg.lastIndexOf(':');
        if (colon < 1 || colon == pkg.length() - 1) {
            throw bad("'package' must be NAME:VERSION, not '" + pkg + "'");
        }
        Target target = target(body.get("target"));
        boolean dynamic = bool(body, "dynamic", false);
        ExponentialRate rate = rate(body.get("rate"));
        List<WaveSpec> waves = waves(body);
        WavePlan.of(waves); // validates: increasing, last 100
        GateThresholds gate = gate(body.get("gate"));
        JobValidation validation = validation(body.get("validation"));
        Timeouts timeouts = timeouts(body.get("timeouts"));
        int retries = integer(body, "retries", 0);
        if (retries < 0 || retries > MAX_RETRIES) {
            throw bad("'retries' must be 0.." + MAX_RETRIES + ", not " + retries);
        }
        int priority = integer(body, "priority", 0);
        Instant startAt = null;
        String start = text(body, "startAt", false);
        if (start != null) {
            try {
                startAt = Instant.parse(start);
            } catch (DateTimeParseException e) {
                throw bad("'startAt' must be an ISO-8601 instant such as 2026-12-01T02:00:00Z, not '" + start + "'");
            }
        }
        Window window = window(body.get("maintenanceWindow"));
        boolean approval = bool(body, "requiresApproval", false);
        return new RolloutDefinition(pkg.substring(0, colon), pkg.substring(colon + 1), target, dynamic, waves, rate,
                gate, validation, timeouts, retries, priority, startAt, window, approval);
    }

    private static Target target(JsonNode t) throws EdgeLoopException {
        if (t == null || !t.isObject()) {
            throw bad("'target' must be {\"group\": G}, {\"tags\": {\"k\": \"v\"}} or {\"devices\": [\"a\", …]}");
        }
        int kinds = (t.hasNonNull("group") ? 1 : 0) + (t.hasNonNull("tags") ? 1 : 0) + (t.hasNonNull("devices") ? 1 : 0);
        if (kinds != 1) {
            throw bad("'target' needs exactly one of group, tags, devices");
        }
        if (t.hasNonNull("group")) {
            return new Target(text(t, "group", true), null, null);
        }
        if (t.hasNonNull("tags")) {
            JsonNode tags = t.get("tags");
            if (!tags.isObject() || tags.isEmpty()) {
                throw bad("'target.tags' must be a non-empty object of key: value");
            }
            Map<String, String> out = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw bad("tag '" + e.getKey() + "' must be a string");
                }
                out.put(e.getKey(), e.getValue().asText());
            }
            return new Target(null, out, null);
        }
        JsonNode devices = t.get("devices");
        if (!devices.isArray() || devices.isEmpty()) {
            throw bad("'target.devices' must be a non-empty array of device ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode d : devices) {
            if (!d.isTextual() || d.asText().isBlank()) {
                throw bad("'target.devices' must hold device ids (strings)");
            }
            if (!ids.contains(d.asText())) {
                ids.add(d.asText());
            }
        }
        return new Target(null, null, ids);
    }

    private static List<WaveSpec> waves(JsonNode body) throws EdgeLoopException {
        JsonNode waves = body.get("waves");
        String percents = text(body, "wavePercents", false);
        if (waves != null && !waves.isNull() && percents != null) {
            throw bad("give 'waves' or 'wavePercents', not both");
        }
        List<WaveSpec> out = new ArrayList<>();
        if (waves != null && !waves.isNull()) {
            if (!waves.isArray() || waves.isEmpty()) {
                throw bad("'waves' must be a non-empty array");
            }
            for (JsonNode w : waves) {
                if (!w.isObject()) {
                    throw bad("each wave must be an object with 'percent'");
                }
                out.add(wave(w, integer(w, "percent", -1)));
            }
            return out;
        }
        if (percents == null) {
            // One wave of the whole target: with a rate, the rate paces it.
            percents = "100";
        }
        return WavePlan.fromPercents(percents, WaveDefaults.DEFAULT).waves();
    }

    private static WaveSpec wave(JsonNode w, int percent) throws EdgeLoopException {
        double threshold = number(w, "successThreshold", WaveDefaults.DEFAULT.successThreshold());
        long soak = integer(w, "soakSeconds", 0);
        if (soak < 0) {
            throw bad("'soakSeconds' must be >= 0");
        }
        AbortCriteria abort = WaveDefaults.DEFAULT.abort();
        JsonNode a = w.get("abort");
        if (a != null && !a.isNull()) {
            FailureType type = enumValue(FailureType.class, text(a, "failureType", false), abort.type(), "abort.failureType");
            abort = new AbortCriteria(type, number(a, "thresholdPercent", abort.thresholdPercent()),
                    integer(a, "minExecuted", abort.minExecuted()));
        }
        return new WaveSpec(percent, threshold, abort, Duration.ofSeconds(soak));
    }

    private static ExponentialRate rate(JsonNode r) throws EdgeLoopException {
        if (r == null || r.isNull()) {
            return null;
        }
        if (!r.isObject()) {
            throw bad("'rate' must be an object");
        }
        return new ExponentialRate(integer(r, "basePerMinute", 60), number(r, "incrementFactor", 1.0),
                integer(r, "raiseOnNotified", 0), integer(r, "raiseOnSucceeded", 0),
                integer(r, "maxPerMinute", integer(r, "basePerMinute", 60)));
    }

    private static GateThresholds gate(JsonNode g) throws EdgeLoopException {
        if (g == null || g.isNull()) {
            return null;
        }
        if (!g.isObject()) {
            throw bad("'gate' must be an object");
        }
        GateThresholds d = GateThresholds.DEFAULTS;
        return new GateThresholds(number(g, "maxErrorRate", d.maxErrorRate()), number(g, "maxP95Ratio", d.maxP95Ratio()),
                number(g, "minShadowAgreement", d.minShadowAgreement()), number(g, "maxAccuracyDrop", d.maxAccuracyDrop()),
                number(g, "maxDriftIncrease", d.maxDriftIncrease()), integer(g, "minRequests", (int) d.minRequests()));
    }

    private static JobValidation validation(JsonNode v) throws EdgeLoopException {
        if (v == null || v.isNull()) {
            return JobValidation.NONE;
        }
        JobValidation.Mode mode = enumValue(JobValidation.Mode.class, text(v, "mode", true), null, "validation.mode");
        return new JobValidation(mode, integer(v, "samples", 0), number(v, "minAgreement", 0));
    }

    private static Timeouts timeouts(JsonNode t) throws EdgeLoopException {
        Timeouts d = Timeouts.DEFAULTS;
        if (t == null || t.isNull()) {
            return d;
        }
        long inProgress = integer(t, "inProgressSeconds", (int) d.inProgress().toSeconds());
        long step = integer(t, "stepSeconds", (int) d.step().toSeconds());
        long liveness = integer(t, "livenessSeconds", (int) d.liveness().toSeconds());
        if (inProgress < 1 || step < 0 || liveness < 0) {
            throw bad("timeouts: inProgressSeconds must be >= 1, stepSeconds and livenessSeconds >= 0 (0 = off)");
        }
        return new Timeouts(Duration.ofSeconds(inProgress), Duration.ofSeconds(step), Duration.ofSeconds(liveness));
    }

    private static Window window(JsonNode w) throws EdgeLoopException {
        if (w == null || w.isNull()) {
            return null;
        }
        int minutes = integer(w, "durationMinutes", -1);
        if (minutes < 1) {
            throw bad("'maintenanceWindow.durationMinutes' must be >= 1");
        }
        Window window = new Window(text(w, "cron", true), Duration.ofMinutes(minutes));
        window.policy(); // validates the cron expression
        return window;
    }

    /** The stored form: the same shape the request has, every default filled in. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("package", packageRef());
        ObjectNode t = o.putObject("target");
        if (target.group() != null) {
            t.put("group", target.group());
        } else if (target.tags() != null) {
            ObjectNode tags = t.putObject("tags");
            new TreeMap<>(target.tags()).forEach(tags::put);
        } else {
            ArrayNode devices = t.putArray("devices");
            target.devices().forEach(devices::add);
        }
        o.put("dynamic", dynamic);
        ArrayNode w = o.putArray("waves");
        for (WaveSpec s : waves) {
            ObjectNode wave = w.addObject().put("percent", s.percent()).put("successThreshold", s.successThreshold())
                    .put("soakSeconds", s.soak().toSeconds());
            wave.putObject("abort").put("failureType", s.abort().type().name())
                    .put("thresholdPercent", s.abort().thresholdPercent()).put("minExecuted", s.abort().minExecuted());
        }
        if (rate != null) {
            o.putObject("rate").put("basePerMinute", rate.basePerMinute()).put("incrementFactor", rate.incrementFactor())
                    .put("raiseOnNotified", rate.raiseOnNotified()).put("raiseOnSucceeded", rate.raiseOnSucceeded())
                    .put("maxPerMinute", rate.maxPerMinute());
        }
        if (gate != null) {
            ObjectNode g = o.putObject("gate");
            putNumber(g, "maxErrorRate", gate.maxErrorRate());
            putNumber(g, "maxP95Ratio", gate.maxP95Ratio());
            putNumber(g, "minShadowAgreement", gate.minShadowAgreement());
            putNumber(g, "maxAccuracyDrop", gate.maxAccuracyDrop());
            putNumber(g, "maxDriftIncrease", gate.maxDriftIncrease());
            g.put("minRequests", gate.minRequests());
        }
        o.putObject("validation").put("mode", validation.mode().name()).put("samples", validation.samples())
                .put("minAgreement", validation.minAgreement());
        o.putObject("timeouts").put("inProgressSeconds", timeouts.inProgress().toSeconds())
                .put("stepSeconds", timeouts.step().toSeconds()).put("livenessSeconds", timeouts.liveness().toSeconds());
        o.put("retries", retries).put("priority", priority);
        if (startAt != null) {
            o.put("startAt", startAt.toString());
        }
        if (window != null) {
            o.putObject("maintenanceWindow").put("cron", window.cron()).put("durationMinutes", window.duration().toMinutes());
        }
        o.put("requiresApproval", requiresApproval);
        return o;
    }

    private static void putNumber(ObjectNode o, String field, double value) {
        if (Double.isNaN(value)) {
            o.putNull(field); // NaN = check off; JSON has no NaN
        } else {
            o.put(field, value);
        }
    }

    private static EdgeLoopException bad(String why) {
        return new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, why);
    }

    private static String text(JsonNode o, String field, boolean required) throws EdgeLoopException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw bad("'" + field + "' is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw bad("'" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    private static int integer(JsonNode o, String field, int dflt) throws EdgeLoopException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw bad("'" + field + "' must be an integer");
        }
        return v.asInt();
    }

    private static double number(JsonNode o, String field, double dflt) throws EdgeLoopException {
        JsonNode v = o.get(field);
        if (v == null) {
            return dflt;
        }
        if (v.isNull()) {
            return Double.NaN; // explicitly off
        }
        if (!v.isNumber()) {
            throw bad("'" + field + "' must be a number");
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode o, String field, boolean dflt) throws EdgeLoopException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw bad("'" + field + "' must be true or false");
        }
        return v.asBoolean();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text, E dflt, String field)
            throws EdgeLoopException {
        if (text == null) {
            if (dflt == null) {
                throw bad("'" + field + "' is required");
            }
            return dflt;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("'" + field + "' must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", not '"
                    + text + "'");
        }
    }
}
