package io.edgeloop.protocol.topic;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.InvalidFieldException;

/**
 * The rule for every identifier that becomes one level of an MQTT topic: device ids, job ids,
 * command names and shared-subscription group names. Such a value must be non-empty, at most
 * {@value #MAX_LENGTH} characters, and free of {@code /} (it would add a level), {@code +} and
 * {@code #} (wildcards: a device could subscribe to or spoof other devices' topics), control
 * characters including NUL (forbidden or discouraged by MQTT, and they corrupt logs), line
 * separators and unpaired surrogates (not encodable as the UTF-8 MQTT requires).
 */
public final class TopicSegments {
    /** Longest accepted identifier, in UTF-16 chars. */
    public static final int MAX_LENGTH = 128;

    private TopicSegments() {
    }

    /**
     * Why {@code value} is not a valid topic level, or {@code null} when it is.
     */
    public static String problem(String value) {
        if (value == null) {
            return "is missing";
        }
        if (value.isEmpty()) {
            return "is empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "is " + value.length() + " characters long, over the limit of " + MAX_LENGTH;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '+' || c == '#') {
                return "contains '" + c + "' at index " + i + " (topic separator or wildcard)";
            }
            if (Character.isISOControl(c)) {
                return String.format("contains control character U+%04X at index %d", (int) c, i);
            }
            if (c == '\u2028' || c == '\u2029') {
                return String.format("contains line separator U+%04X at index %d", (int) c, i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("contains unpaired surrogate U+%04X at index %d", (int) c, i);
            }
        }
        return null;
    }

    /**
     * Returns {@code value} if it is a valid topic level, else throws naming {@code field}.
     *
     * @throws InvalidFieldException if the value breaks the rule
     */
    public static String require(String field, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidFieldException(field, problem + quoted(value));
        }
        return value;
    }

    /**
     * Validates a device id taken from configuration or a user, with the error code that tells
     * the user to rename the device.
     *
     * @throws EdgeLoopException with {@link ErrorCode#INVALID_DEVICE_ID}
     */
    public static String checkDeviceId(String deviceId) throws EdgeLoopException {
        String problem = problem(deviceId);
        if (problem != null) {
            throw new EdgeLoopException(ErrorCode.INVALID_DEVICE_ID,
                    "device id " + problem + quoted(deviceId));
        }
        return deviceId;
    }

    /**
     * A log-safe rendering of an untrusted value: control and non-ASCII characters escaped,
     * cut after 64 characters.
     */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(value.length(), 64);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    private static String quoted(String value) {
        return value == null ? "" : " (" + printable(value) + ")";
    }
}
