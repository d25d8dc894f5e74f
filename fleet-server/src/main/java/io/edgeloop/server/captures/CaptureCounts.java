package io.edgeloop.server.captures;

import java.util.Map;

/**
 * Stored captures and labelled captures per device (device id to count; devices without
 * captures are absent).
 */
public record CaptureCounts(Map<String, Long> captures, Map<String, Long> labelled) {
    public CaptureCounts {
        captures = Map.copyOf(captures);
        labelled = Map.copyOf(labelled);
    }

    public long totalCaptures() {
        return captures.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalLabelled() {
        return labelled.values().stream().mapToLong(Long::longValue).sum();
    }
}
