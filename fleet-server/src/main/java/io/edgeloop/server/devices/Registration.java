package io.edgeloop.server.devices;

/** A registered device's one-time enrolment token, shown once. */
public record Registration(String deviceId, String enrolToken, String expiresAt) {
}
