package io.edgeloop.server.access;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.Locale;

/** What an API token may do, each role including the ones below it: viewer < operator < admin. */
public enum Role {
    /** Reads devices, packages and telemetry. */
    VIEWER,
    /** Also registers and changes devices, uploads packages, mints download tokens. */
    OPERATOR,
    /** Also manages API tokens, revokes devices and reads the audit log. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) throws EdgeLoopException {
        if (text != null) {
            for (Role r : values()) {
                if (r.wireName().equals(text.toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "role must be viewer, operator or admin, not '" + text + "'");
    }
}
