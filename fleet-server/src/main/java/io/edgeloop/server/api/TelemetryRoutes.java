package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.telemetry.DeviceStates;
import io.edgeloop.server.telemetry.TelemetryQueries;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.ingest.IngestCounters;
import io.edgeloop.server.access.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Telemetry and reported device state over REST:
 * {@code GET /api/v1/devices/{id}/telemetry}, {@code GET /api/v1/models/{name}/versions/{v}/telemetry}
 * (both {@code ?stream=health|drift&since=ISO-8601&limit=N}, newest first),
 * {@code GET /api/v1/devices/{id}/reported} (birth, presence, last health and drift) and
 * {@code GET /api/v1/ingest} (this replica's ingest counters; all replicas' stored rows and rejects).
 * Viewer tokens and up; reads run off the event loop; errors are the server's {@code {"error", "code"}}.
 */
public final class TelemetryRoutes {
    public static final int DEFAULT_LIMIT = 100;
    private static final Set<String> STREAMS = Set.of("health", "drift");

    private final TelemetryQueries queries;
    private final DeviceStates states;
    private final Supplier<IngestCounters> counters;
    private final ObjectMapper json = new ObjectMapper();

    public TelemetryRoutes(TelemetryQueries queries, DeviceStates states, Supplier<IngestCounters> counters) {
        this.queries = queries;
        this.states = states;
        this.counters = counters;
    }

    /** Mounts the routes for callers with a viewer token or better. */
    public void mount(ApiRouter api) {
        api.route(HttpMethod.GET, "/api/v1/devices/:id/telemetry", Role.VIEWER, (ctx, actor) -> {
            Query q = query(ctx);
            HttpReplies.json(ctx, 200, entries(queries.forDevice(ctx.pathParam("id"), q.stream, q.since, q.limit)));
        });
        api.route(HttpMethod.GET, "/api/v1/models/:name/versions/:version/telemetry", Role.VIEWER, (ctx, actor) -> {
            Query q = query(ctx);
            HttpReplies.json(ctx, 200, entries(queries.forModel(ctx.pathParam("name"), ctx.pathParam("version"), q.stream,
                    q.since, q.limit)));
        });
        api.route(HttpMethod.GET, "/api/v1/devices/:id/reported", Role.VIEWER, (ctx, actor) -> {
            String id = ctx.pathParam("id");
            HttpReplies.json(ctx, 200, state(states.get(id).orElseThrow(() -> new EdgeLoopException(ErrorCode.NOT_FOUND,
                    "device " + id + " has reported nothing over MQTT"))));
        });
        api.route(HttpMethod.GET, "/api/v1/ingest", Role.VIEWER, (ctx, actor) -> HttpReplies.json(ctx, 200, ingest()));
    }

    /** This replica's counters, and the stored rows and rejects of all replicas. */
    public ObjectNode ingest() throws EdgeLoopException {
        IngestCounters c = counters.get();
        ObjectNode out = json.createObjectNode();
        out.put("received", c.received()).put("stored", c.stored()).put("duplicates", c.duplicates())
                .put("rejected", c.rejected()).put("batches", c.batches()).put("retries", c.retries())
                .put("storedInAll", queries.total());
        ObjectNode rejects = out.putObject("rejectsByCode");
        for (ErrorCode code : List.of(ErrorCode.MALFORMED_MESSAGE, ErrorCode.INTERNAL)) {
            rejects.put(code.name(), queries.rejects(code));
        }
        return out;
    }

    private record Query(String stream, long since, int limit) {
    }

    private static Query query(RoutingContext ctx) throws EdgeLoopException {
        String stream = ctx.queryParams().get("stream");
        if (stream == null) {
            stream = "health";
        }
        if (!STREAMS.contains(stream)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "stream must be health or drift, not " + stream);
        }
        long since = 0;
        String sinceText = ctx.queryParams().get("since");
        if (sinceText != null) {
            try {
                since = Instant.parse(sinceText).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "since must be an ISO-8601 instant such as"
                        + " 2026-12-01T10:00:00Z, not " + sinceText);
            }
        }
        int limit = DEFAULT_LIMIT;
        String limitText = ctx.queryParams().get("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > TelemetryQueries.MAX_LIMIT) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "limit must be 1.." + TelemetryQueries.MAX_LIMIT
                        + ", not " + limitText);
            }
        }
        return new Query(stream, since, limit);
    }

    private ObjectNode entries(List<TelemetryQueries.Entry> entries) throws IOException {
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (TelemetryQueries.Entry e : entries) {
            ObjectNode item = items.addObject();
            item.put("deviceId", e.deviceId()).put("stream", e.stream()).put("seq", e.seq())
                    .put("ts", Instant.ofEpochMilli(e.tsMillis()).toString());
            if (!e.modelName().isEmpty()) {
                item.putObject("model").put("name", e.modelName()).put("version", e.modelVersion());
            }
            item.set("message", json.readTree(e.payload()));
        }
        out.put("count", entries.size());
        return out;
    }

    private ObjectNode state(DeviceStates.State s) throws IOException {
        ObjectNode out = json.createObjectNode();
        out.put("deviceId", s.deviceId()).put("online", s.online());
        out.put("profileId", s.profileId()).put("agentVersion", s.agentVersion());
        out.set("hardware", s.hardware() == null ? null : json.readTree(s.hardware()));
        out.set("models", s.models() == null ? null : json.readTree(s.models()));
        out.put("statusReason", s.statusReason());
        out.put("statusAt", s.statusMillis() == null ? null : Instant.ofEpochMilli(s.statusMillis()).toString());
        out.set("lastHealth", s.lastHealth() == null ? null : json.readTree(s.lastHealth()));
        out.set("lastDrift", s.lastDrift() == null ? null : json.readTree(s.lastDrift()));
        return out;
    }

}
