package io.edgeloop.bench.fleet;

import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.server.devices.MosquittoPasswordHash;
import io.edgeloop.server.broker.MqttAccount;
import io.edgeloop.server.broker.MqttAccountSource;
import io.edgeloop.server.broker.MqttCredentialCheck;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Device logins for tests and benchmarks that run the broker side without the enrolment store:
 * issues a random password per device, keeps only its {@code $7$} hash, and answers the broker's
 * questions from that, as the server's credential store does.
 */
public final class FleetAccounts implements MqttCredentialCheck, MqttAccountSource {
    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    /** Issues (or replaces) the login of {@code deviceId}, for the broker at {@code mqttUrl}. */
    public FleetCredentials issue(String deviceId, String mqttUrl) {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String password = HexFormat.of().formatHex(bytes);
        hashes.put(deviceId, MosquittoPasswordHash.hash(password.getBytes(StandardCharsets.UTF_8)));
        revoked.remove(deviceId);
        return new FleetCredentials(deviceId, mqttUrl, deviceId, password);
    }

    public void revoke(String deviceId) {
        revoked.add(deviceId);
    }

    @Override
    public Optional<String> authenticate(String username, byte[] password) {
        String hash = hashes.get(username);
        if (hash == null || revoked.contains(username) || !MosquittoPasswordHash.verify(hash, password)) {
            return Optional.empty();
        }
        return Optional.of(username);
    }

    @Override
    public boolean isRevoked(String deviceId) {
        return revoked.contains(deviceId);
    }

    @Override
    public List<MqttAccount> activeAccounts() {
        List<MqttAccount> out = new ArrayList<>();
        hashes.forEach((id, hash) -> {
            if (!revoked.contains(id)) {
                out.add(new MqttAccount(id, hash));
            }
        });
        out.sort(java.util.Comparator.comparing(MqttAccount::username));
        return out;
    }
}
