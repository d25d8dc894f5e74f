package io.edgeloop.server.broker;

import java.util.Optional;

/**
 * What the broker asks about a device login: the same two questions fleet-core's
 * {@code DeviceCredentials} answers (device id for valid, unrevoked credentials; whether a device
 * is revoked). The broker depends on this seam only, so the enrolment store plugs in at the
 * composition root.
 */
public interface MqttCredentialCheck {
    /** The device id when {@code username} / {@code password} are a valid, unrevoked device login. */
    Optional<String> authenticate(String username, byte[] password);

    /** Whether the device's credentials were revoked. */
    boolean isRevoked(String deviceId);
}
