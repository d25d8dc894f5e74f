package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.devices.Device;
import io.edgeloop.server.devices.DeviceFilter;
import io.edgeloop.server.devices.DeviceService;
import io.edgeloop.server.telemetry.DeviceStates;
import io.edgeloop.server.telemetry.DriftSeries;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet at a glance, in one answer each (what the dashboard polls):
 * {@code GET /api/v1/telemetry/devices} (every registered device with its presence, model
 * version and the figures of its last health and drift report) and
 * {@code GET /api/v1/telemetry/drift-series} (drift and estimated accuracy over time per model
 * version, see {@link DriftSeries}). Viewer tokens and up.
 */
public final class FleetOverviewRoutes {
    /** How far back the drift series looks without {@code since}. */
    public static final Duration DEFAULT_SERIES_SPAN = Duration.ofHours(6);
    public static final long MAX_BUCKET_SECONDS = 86_400;

    private final DeviceService devices;
    private final DeviceStates states;
    private final DriftSeries drift;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public FleetOverviewRoutes(DeviceService devices, DeviceStates states, DriftSeries drift, Clock clock) {
        this.devices = devices;
        this.states = states;
        this.drift = drift;
        this.clock = clock;
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.GET, "/api/v1/telemetry/devices", Role.VIEWER, (ctx, actor) -> HttpReplies.json(ctx, 200,
                overview()));
        api.route(HttpMethod.GET, "/api/v1/telemetry/drift-series", Role.VIEWER, (ctx, actor) -> HttpReplies.json(ctx, 200,
                drift.since(since(ctx), bucketSeconds(ctx))));
    }

    /** Every device joined with what it last reported, and fleet counts. */
    public ObjectNode overview() throws EdgeLoopException, IOException {
        Map<String, DeviceStates.State> reported = new HashMap<>();
        for (DeviceStates.State s : states.list(null)) {
            reported.put(s.deviceId(), s);
        }
        List<Device> all = devices.list(DeviceFilter.ALL);
        ObjectNode out = json.createObjectNode();
        ArrayNode items = json.createArrayNode();
        int online = 0;
        int drifted = 0;
        int withErrors = 0;
        for (Device d : all) {
            ObjectNode item = items.addObject();
            item.put("deviceId", d.deviceId()).put("status", d.status()).put("group", d.group())
                    .put("online", d.online()).put("model", d.model()).put("modelVersion", d.modelVersion());
            item.set("tags", json.valueToTree(d.tags()));
            item.set("desiredModel", json.valueToTree(d.desiredModel()));
            DeviceStates.State s = reported.get(d.deviceId());
            item.put("profileId", s == null ? null : s.profileId());
            item.put("agentVersion", s == null ? null : s.agentVersion());
            item.put("statusAt", s == null ? null : instant(s.statusMillis()));
            ObjectNode health = s == null ? null : health(s);
            ObjectNode lastDrift = s == null ? null : drift(s);
            item.set("health", health);
            item.set("drift", lastDrift);
            online += d.online() ? 1 : 0;
            drifted += lastDrift != null && lastDrift.path("drifted").asBoolean() ? 1 : 0;
            withErrors += health != null && health.path("errorCount").asLong() > 0 ? 1 : 0;
        }
        out.putObject("summary").put("devices", all.size()).put("online", online).put("drifted", drifted)
                .put("withErrors", withErrors);
        out.set("items", items);
        out.put("at", clock.instant().toString());
        return out;
    }

    private ObjectNode health(DeviceStates.State s) throws IOException {
        if (s.lastHealth() == null) {
            return null;
        }
        JsonNode m = json.readTree(s.lastHealth());
        JsonNode inference = m.path("inference");
        ObjectNode out = json.createObjectNode();
        out.put("at", instant(s.lastHealthMillis()));
        for (String field : List.of("p50Micros", "p95Micros", "p99Micros", "throughputPerSecond")) {
            out.set(field, inference.path(field).isNumber() ? inference.get(field) : null);
        }
        out.put("requestCount", inference.path("requestCount").asLong());
        out.put("errorCount", inference.path("errorCount").asLong());
        out.set("resources", m.path("resources").isObject() ? m.get("resources") : null);
        out.set("activeModels", m.path("activeModels").isArray() ? m.get("activeModels") : json.createArrayNode());
        return out;
    }

    private ObjectNode drift(DeviceStates.State s) throws IOException {
        if (s.lastDrift() == null) {
            return null;
        }
        JsonNode m = json.readTree(s.lastDrift());
        ObjectNode out = json.createObjectNode();
        out.put("at", instant(s.lastDriftMillis()));
        out.set("model", m.path("model").isObject() ? m.get("model") : null);
        out.put("samples", m.path("samples").asLong());
        out.put("drifted", m.path("drifted").asBoolean());
        out.set("estimatedAccuracy", m.path("estimatedAccuracy").isNumber() ? m.get("estimatedAccuracy") : null);
        out.put("outOfRange", m.path("estimate").path("outOfRange").asBoolean(false));
        out.set("summary", m.path("summary").isTextual() ? m.get("summary") : null);
        return out;
    }

    private static String instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

    private long since(RoutingContext ctx) throws EdgeLoopException {
        String text = ApiRouter.query(ctx, "since");
        if (text == null) {
            return clock.instant().minus(DEFAULT_SERIES_SPAN).toEpochMilli();
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "since must be an ISO-8601 instant such as"
                    + " 2026-12-01T10:00:00Z, not " + text);
        }
    }

    private static long bucketSeconds(RoutingContext ctx) throws EdgeLoopException {
        String text = ApiRouter.query(ctx, "bucketSeconds");
        if (text == null) {
            return 0;
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1 || v > MAX_BUCKET_SECONDS) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "bucketSeconds must be 1.." + MAX_BUCKET_SECONDS
                    + " (or left out for an automatic width), not " + text);
        }
        return v;
    }
}
