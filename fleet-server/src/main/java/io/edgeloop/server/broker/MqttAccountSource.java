package io.edgeloop.server.broker;

import java.util.List;

/** The device logins the broker should accept now (revoked devices left out). */
@FunctionalInterface
public interface MqttAccountSource {
    List<MqttAccount> activeAccounts();
}
