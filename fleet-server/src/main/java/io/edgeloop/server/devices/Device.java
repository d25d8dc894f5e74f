package io.edgeloop.server.devices;

import java.util.Map;

/**
 * A registered device as the API shows it. {@code online}, {@code model} and
 * {@code modelVersion} are what the device reports (birth and status, kept by the MQTT ingest);
 * {@code desiredModel} is what it should run.
 */
public record Device(String deviceId, String status, String group, Map<String, String> tags, String profile,
                     DesiredModel desiredModel, boolean online, String model, String modelVersion,
                     String createdAt, String enrolledAt, String revokedAt) {

    /** The package a device should run. */
    public record DesiredModel(String packageName, String version) {
    }
}
