package io.edgeloop.server.api;

import io.edgeloop.server.devices.Device;
import io.edgeloop.server.devices.DeviceFilter;
import io.edgeloop.server.devices.DevicePatch;
import io.edgeloop.server.devices.DeviceService;
import io.edgeloop.server.devices.Enrolment;
import io.edgeloop.server.devices.Registration;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/devices} and the enrolment exchange {@code /api/v1/enrol}. */
public final class DeviceRoutes {
    private final DeviceService devices;
    private final Enrolment enrolment;
    private final List<String> publisherKeys;

    public DeviceRoutes(DeviceService devices, Enrolment enrolment) {
        this(devices, enrolment, List.of());
    }

    /** @param publisherKeys the trusted publisher keys (base64 X.509) the enrolment answer hands the device */
    public DeviceRoutes(DeviceService devices, Enrolment enrolment, List<String> publisherKeys) {
        this.devices = devices;
        this.enrolment = enrolment;
        this.publisherKeys = List.copyOf(publisherKeys);
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.POST, "/api/v1/devices", Role.OPERATOR, (ctx, actor) -> {
            JsonNode body = HttpReplies.body(ctx);
            Registration r = devices.register(actor, HttpReplies.requiredText(body, "deviceId"),
                    HttpReplies.optionalText(body, "group"), tags(body.get("tags"), false));
            HttpReplies.json(ctx, 201, r);
        });
        api.route(HttpMethod.GET, "/api/v1/devices", Role.VIEWER, (ctx, actor) -> HttpReplies.json(ctx, 200,
                devices.list(DeviceFilter.parse(ApiRouter.query(ctx, "group"), ApiRouter.query(ctx, "tag"),
                        ApiRouter.query(ctx, "online"), ApiRouter.query(ctx, "model"),
                        ApiRouter.query(ctx, "modelVersion")))));
        api.route(HttpMethod.GET, "/api/v1/devices/:id", Role.VIEWER,
                (ctx, actor) -> HttpReplies.json(ctx, 200, devices.get(ctx.pathParam("id"))));
        api.route(HttpMethod.PATCH, "/api/v1/devices/:id", Role.OPERATOR,
                (ctx, actor) -> HttpReplies.json(ctx, 200, devices.patch(actor, ctx.pathParam("id"), patch(ctx))));
        api.route(HttpMethod.POST, "/api/v1/devices/:id/revoke", Role.ADMIN,
                (ctx, actor) -> HttpReplies.json(ctx, 200, devices.revoke(actor, ctx.pathParam("id"))));
        api.route(HttpMethod.POST, "/api/v1/devices/:id/enrol-token", Role.OPERATOR,
                (ctx, actor) -> HttpReplies.json(ctx, 201, devices.reissueEnrolToken(actor, ctx.pathParam("id"))));
        api.open(HttpMethod.POST, "/api/v1/enrol", (ctx, none) -> {
            JsonNode body = HttpReplies.body(ctx);
            Enrolment.Result enrolled = enrolment.enrol(HttpReplies.requiredText(body, "deviceId"),
                    HttpReplies.requiredText(body, "enrolToken"), HttpReplies.optionalText(body, "profile"));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("deviceId", enrolled.deviceId());
            answer.put("mqttUrl", enrolled.mqttUrl());
            answer.put("mqttUsername", enrolled.mqttUsername());
            answer.put("mqttPassword", enrolled.mqttPassword());
            answer.put("publisherKeys", publisherKeys);
            HttpReplies.json(ctx, 200, answer);
        });
    }

    private static DevicePatch patch(RoutingContext ctx) throws EdgeLoopException {
        JsonNode body = HttpReplies.body(ctx);
        Device.DesiredModel desired = null;
        JsonNode d = body.get("desiredModel");
        if (d != null && !d.isNull()) {
            if (!d.isObject()) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "desiredModel must be {\"packageName\", \"version\"} or null");
            }
            desired = new Device.DesiredModel(HttpReplies.requiredText(d, "packageName"), HttpReplies.requiredText(d, "version"));
        }
        return new DevicePatch(body.has("group"), HttpReplies.optionalText(body, "group"), tags(body.get("tags"), true),
                body.has("desiredModel"), desired);
    }

    private static Map<String, String> tags(JsonNode node, boolean nullsAllowed) throws EdgeLoopException {
        Map<String, String> tags = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (!node.isObject()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "tags must be an object of key: value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull() && nullsAllowed) {
                tags.put(e.getKey(), null);
            } else if (e.getValue().isTextual()) {
                tags.put(e.getKey(), e.getValue().asText());
            } else {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "tag '" + e.getKey() + "' must be a string");
            }
        }
        return tags;
    }
}
