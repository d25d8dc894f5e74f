package io.edgeloop.server.devices;

import java.util.Map;

/**
 * A change of a device: each part applies only when {@code set}; a null group or desired model
 * clears it; a tag mapped to null is removed.
 */
public record DevicePatch(boolean setGroup, String group, Map<String, String> tags, boolean setDesired,
                          Device.DesiredModel desired) {
}
