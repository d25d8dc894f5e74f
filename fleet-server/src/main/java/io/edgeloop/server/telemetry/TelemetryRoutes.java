package io.edgeloop.server.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.ingest.IngestCounters;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Telemetry and reported device state over REST:
 * {@code GET /api/v1/devices/{id}/telemetry}, {@code GET /api/v1/models/{name}/versions/{v}/telemetry}
 * (both {@code ?stream=health|drift&since=ISO-8601&limit=N}, newest first),
 * {@code GET /api/v1/devices/{id}/reported} (birth, presence, last health and drift) and
 * {@code GET /api/v1/ingest} (this replica's ingest counters; all replicas' stored rows and rejects).
 * Reads run off the event loop. Errors are {@code {"error", "code"}}.
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

    public void mount(Router router) {
        router.get("/api/v1/devices/:id/telemetry").handler(ctx -> answer(ctx, () -> {
            Query q = query(ctx);
            return entries(queries.forDevice(ctx.pathParam("id"), q.stream, q.since, q.limit));
        }));
        router.get("/api/v1/models/:name/versions/:version/telemetry").handler(ctx -> answer(ctx, () -> {
            Query q = query(ctx);
            return entries(queries.forModel(ctx.pathParam("name"), ctx.pathParam("version"), q.stream, q.since, q.limit));
        }));
        router.get("/api/v1/devices/:id/reported").handler(ctx -> answer(ctx, () -> {
            String id = ctx.pathParam("id");
            return state(states.get(id).orElseThrow(() -> new EdgeLoopException(ErrorCode.INVALID_ARGUMENT,
                    "device " + id + " has reported nothing over MQTT")));
        }));
        router.get("/api/v1/ingest").handler(ctx -> answer(ctx, () -> {
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
        }));
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

    private void answer(RoutingContext ctx, Callable<ObjectNode> work) {
        ctx.vertx().executeBlocking(work, false).onComplete(result -> {
            if (result.succeeded()) {
                ctx.response().putHeader("Content-Type", "application/json").end(result.result().toString());
                return;
            }
            Throwable t = result.cause();
            ErrorCode code = t instanceof EdgeLoopException e ? e.code() : ErrorCode.INTERNAL;
            int status = code == ErrorCode.INVALID_ARGUMENT ? 400 : 500;
            ObjectNode body = json.createObjectNode().put("error", t.getMessage()).put("code", code.name());
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
        });
    }
}
