package io.edgeloop.server.devices;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

/**
 * Filters of {@code GET /devices}; each null means "any". {@code tag} is {@code key=value}.
 */
public record DeviceFilter(String group, String tagKey, String tagValue, Boolean online, String model,
                           String modelVersion) {
    public static final DeviceFilter ALL = new DeviceFilter(null, null, null, null, null, null);

    public static DeviceFilter parse(String group, String tag, String online, String model, String modelVersion)
            throws EdgeLoopException {
        String key = null;
        String value = null;
        if (tag != null) {
            int eq = tag.indexOf('=');
            if (eq < 1) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "tag must be key=value, not '" + tag + "'");
            }
            key = tag.substring(0, eq);
            value = tag.substring(eq + 1);
        }
        Boolean on = null;
        if (online != null) {
            if (!online.equals("true") && !online.equals("false")) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "online must be true or false, not '" + online + "'");
            }
            on = Boolean.parseBoolean(online);
        }
        return new DeviceFilter(group, key, value, on, model, modelVersion);
    }
}
