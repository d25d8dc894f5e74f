package io.edgeloop.server.broker;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.devices.DeviceCredentials;
import java.util.List;
import java.util.Optional;

/** {@link DeviceCredentials} as the broker side asks it: logins, revocations, Mosquitto's accounts. */
public final class CredentialCheck implements MqttCredentialCheck, MqttAccountSource {
    private final DeviceCredentials credentials;

    public CredentialCheck(DeviceCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Optional<String> authenticate(String username, byte[] password) {
        return credentials.authenticate(username, password);
    }

    @Override
    public boolean isRevoked(String deviceId) {
        return credentials.isRevoked(deviceId);
    }

    @Override
    public List<MqttAccount> activeAccounts() {
        try {
            return credentials.active().stream().map(s -> new MqttAccount(s.username(), s.passwordHash())).toList();
        } catch (EdgeLoopException e) {
            throw new IllegalStateException("cannot read the device credentials: " + e.describe(), e);
        }
    }
}
