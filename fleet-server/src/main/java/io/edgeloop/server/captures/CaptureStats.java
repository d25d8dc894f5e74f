package io.edgeloop.server.captures;

import java.util.List;

/**
 * What the store holds, per device: captures, labelled captures, input bytes and the capture
 * times of the oldest and newest (epoch ms); and the labels still waiting for their capture.
 */
public record CaptureStats(List<Device> devices, long pendingLabels) {
    public record Device(String deviceId, long captures, long labelled, long bytes, long oldestMillis, long newestMillis) {
    }

    public CaptureStats {
        devices = List.copyOf(devices);
    }

    public long captures() {
        return devices.stream().mapToLong(Device::captures).sum();
    }

    public long labelled() {
        return devices.stream().mapToLong(Device::labelled).sum();
    }

    public long bytes() {
        return devices.stream().mapToLong(Device::bytes).sum();
    }
}
