package io.edgeloop.server.devices;

/**
 * Told after a device's MQTT credentials were issued or revoked (after the change is committed),
 * so the broker side can rewrite Mosquitto's password and ACL files or disconnect a revoked
 * device from the embedded broker. Called on the thread that made the change; keep it short.
 */
@FunctionalInterface
public interface CredentialsListener {
    enum Change { ISSUED, REVOKED }

    void credentialsChanged(String deviceId, Change change);
}
