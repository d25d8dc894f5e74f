package io.edgeloop.server.access;

/**
 * Who made a change, as the audit log records it: an API token (its id and name) or a device
 * acting with its one-time enrolment token.
 */
public record Actor(String id, String name, Role role) {
    public static final Actor SYSTEM = new Actor("system", "edgeloop-server", Role.ADMIN);

    public static Actor device(String deviceId) {
        return new Actor("device:" + deviceId, deviceId, Role.VIEWER);
    }
}
