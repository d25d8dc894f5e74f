package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.captures.CaptureSwitch;
import io.edgeloop.server.devices.DeviceFilter;
import io.vertx.core.http.HttpMethod;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Capture on or off from the operator (operator role): {@code POST /api/v1/devices/{id}/capture}
 * and, for a group or tag, {@code POST /api/v1/devices/capture?group=&tag=}, both with the body
 * {@code {"enabled": true|false, "sampleRate": 0.5}} (sampleRate optional, in [0, 1]).
 */
public final class CaptureCommandRoutes {
    private final CaptureSwitch captures;

    public CaptureCommandRoutes(CaptureSwitch captures) {
        this.captures = captures;
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.POST, "/api/v1/devices/capture", Role.OPERATOR, (ctx, actor) -> {
            CaptureSwitch.Setting setting = setting(HttpReplies.body(ctx));
            DeviceFilter filter = DeviceFilter.parse(ApiRouter.query(ctx, "group"), ApiRouter.query(ctx, "tag"),
                    null, null, null);
            List<CaptureSwitch.Sent> sent = captures.send(actor, filter, setting);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("enabled", setting.enabled());
            answer.put("sampleRate", setting.sampleRate());
            answer.put("devices", sent);
            HttpReplies.json(ctx, 200, answer);
        });
        api.route(HttpMethod.POST, "/api/v1/devices/:id/capture", Role.OPERATOR, (ctx, actor) -> HttpReplies.json(ctx,
                200, captures.send(actor, ctx.pathParam("id"), setting(HttpReplies.body(ctx)))));
    }

    static CaptureSwitch.Setting setting(JsonNode body) throws EdgeLoopException {
        JsonNode enabled = body.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the capture command needs \"enabled\": true or"
                    + " false" + (enabled == null ? "" : ", not " + enabled));
        }
        JsonNode rate = body.get("sampleRate");
        Double sampleRate = null;
        if (rate != null && !rate.isNull()) {
            if (!rate.isNumber() || !(rate.asDouble() >= 0 && rate.asDouble() <= 1)) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "\"sampleRate\" must be a number in [0, 1], not "
                        + rate);
            }
            sampleRate = rate.asDouble();
        }
        return new CaptureSwitch.Setting(enabled.asBoolean(), sampleRate);
    }
}
