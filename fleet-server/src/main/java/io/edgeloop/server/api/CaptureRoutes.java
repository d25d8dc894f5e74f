package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.captures.AnnotatorLabel;
import io.edgeloop.server.captures.CaptureMetrics;
import io.edgeloop.server.captures.CaptureRetention;
import io.edgeloop.server.captures.CaptureStats;
import io.edgeloop.server.captures.CaptureStore;
import io.edgeloop.server.captures.RetentionSweep;
import io.edgeloop.server.captures.StoredCapture;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet's captures over REST: {@code GET /api/v1/captures?device=&model=&since=&limit=}
 * (metadata, oldest first, no inputs) and {@code GET /api/v1/captures/stats?model=} (per device:
 * captures, labelled, bytes, oldest, newest; the retention and its figures) for viewers;
 * {@code POST /api/v1/captures/labels} {@code {"labels":[{"deviceId","requestId","model","label"}]}}
 * for operators (an annotator's labels, audited) answering {@code {"matched","pending"}}.
 */
public final class CaptureRoutes {
    public static final int DEFAULT_LIMIT = 100;
    /** Most labels one request may post. */
    public static final int MAX_LABELS = 10_000;

    private final CaptureStore store;

    public CaptureRoutes(CaptureStore store) {
        this.store = store;
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.GET, "/api/v1/captures", Role.VIEWER, (ctx, actor) -> HttpReplies.json(ctx, 200,
                items(store.list(ApiRouter.query(ctx, "device"), ApiRouter.query(ctx, "model"), since(ctx), limit(ctx)))));
        api.route(HttpMethod.GET, "/api/v1/captures/stats", Role.VIEWER, (ctx, actor) -> {
            String model = ApiRouter.query(ctx, "model");
            HttpReplies.json(ctx, 200, stats(model, store.stats(model)));
        });
        api.route(HttpMethod.POST, "/api/v1/captures/labels", Role.OPERATOR, (ctx, actor) -> {
            CaptureStore.LabelOutcome outcome = store.annotate(actor, labels(HttpReplies.body(ctx)));
            ObjectNode out = HttpReplies.JSON.createObjectNode();
            out.put("matched", outcome.matched()).put("pending", outcome.pending());
            HttpReplies.json(ctx, 200, out);
        });
    }

    static List<AnnotatorLabel> labels(JsonNode body) throws EdgeLoopException {
        JsonNode labels = body.get("labels");
        if (labels == null || !labels.isArray() || labels.isEmpty()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the body needs \"labels\": a non-empty array of"
                    + " {\"deviceId\",\"requestId\",\"model\",\"label\"}");
        }
        if (labels.size() > MAX_LABELS) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "at most " + MAX_LABELS + " labels a request, not "
                    + labels.size() + "; send them in several requests");
        }
        List<AnnotatorLabel> out = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            JsonNode l = labels.get(i);
            if (!l.isObject()) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "labels[" + i + "] must be an object");
            }
            JsonNode label = l.get("label");
            if (label == null || !label.isIntegralNumber() || !label.canConvertToInt()) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "labels[" + i + "].label must be a class index"
                        + " (an integer >= 0)");
            }
            out.add(AnnotatorLabel.of(i, text(l, "deviceId"), text(l, "requestId"), text(l, "model"), label.intValue()));
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static long since(RoutingContext ctx) throws EdgeLoopException {
        String text = ApiRouter.query(ctx, "since");
        if (text == null) {
            return 0;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "since must be an ISO-8601 instant such as"
                    + " 2026-12-01T10:00:00Z, not " + text);
        }
    }

    private static int limit(RoutingContext ctx) throws EdgeLoopException {
        String text = ApiRouter.query(ctx, "limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > CaptureStore.MAX_LIMIT) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "limit must be 1.." + CaptureStore.MAX_LIMIT
                    + ", not " + text);
        }
        return limit;
    }

    private static ObjectNode items(List<StoredCapture> captures) {
        ObjectNode out = HttpReplies.JSON.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (StoredCapture c : captures) {
            ObjectNode item = items.addObject();
            item.put("id", c.id()).put("deviceId", c.deviceId()).put("requestId", c.requestId()).put("model", c.model())
                    .put("version", c.version()).put("capturedAt", Instant.ofEpochMilli(c.capturedAtMillis()).toString())
                    .put("predicted", c.predicted()).put("confidence", c.confidence());
            ArrayNode shape = item.putArray("shape");
            for (long d : c.shape()) {
                shape.add(d);
            }
            item.put("bytes", (long) c.input().length * Float.BYTES);
            if (c.label() == null) {
                item.putNull("label");
            } else {
                item.put("label", c.label());
            }
            item.put("labelSource", c.labelSource());
        }
        out.put("count", captures.size());
        return out;
    }

    private ObjectNode stats(String model, CaptureStats stats) {
        ObjectNode out = HttpReplies.JSON.createObjectNode();
        out.put("model", model);
        ArrayNode devices = out.putArray("devices");
        for (CaptureStats.Device d : stats.devices()) {
            devices.addObject().put("deviceId", d.deviceId()).put("captures", d.captures()).put("labelled", d.labelled())
                    .put("bytes", d.bytes()).put("oldest", Instant.ofEpochMilli(d.oldestMillis()).toString())
                    .put("newest", Instant.ofEpochMilli(d.newestMillis()).toString());
        }
        out.putObject("totals").put("captures", stats.captures()).put("labelled", stats.labelled())
                .put("bytes", stats.bytes()).put("pendingLabels", stats.pendingLabels());
        CaptureRetention r = store.retention();
        out.putObject("retention").put("maxAge", r.maxAgeText()).put("deviceQuotaBytes", r.deviceQuotaBytes())
                .put("totalQuotaBytes", r.totalQuotaBytes());
        CaptureMetrics m = store.metrics();
        ObjectNode metrics = out.putObject("metrics");
        metrics.put("capturesStored", m.capturesStored()).put("captureDuplicates", m.captureDuplicates())
                .put("labelsStored", m.labelsStored()).put("labelsPending", m.labelsPending())
                .put("messagesReplayed", m.messagesReplayed()).put("sweeps", m.sweeps())
                .put("deletedByAge", m.deletedByAge()).put("deletedByDeviceQuota", m.deletedByDeviceQuota())
                .put("deletedByTotalQuota", m.deletedByTotalQuota()).put("bytesFreed", m.bytesFreed())
                .put("labelsExpired", m.labelsExpired());
        RetentionSweep last = m.lastDeletingSweep();
        if (last == null) {
            metrics.putNull("lastDeletingSweep");
        } else {
            metrics.putObject("lastDeletingSweep").put("at", Instant.ofEpochMilli(last.atMillis()).toString())
                    .put("deletedByAge", last.byAge()).put("deletedByDeviceQuota", last.byDeviceQuota())
                    .put("deletedByTotalQuota", last.byTotalQuota()).put("bytesFreed", last.bytesFreed())
                    .put("pendingLabelsExpired", last.pendingLabelsExpired());
        }
        return out;
    }
}
