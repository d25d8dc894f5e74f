package io.edgeloop.agent.link;

import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.protocol.EdgeLoopException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Keeps the enrolment's credentials in the agent's RocksDB state, so later starts need no token. */
public final class CredentialStore {
    private static final String PREFIX = "link.credentials.";
    private final AgentState state;

    public CredentialStore(AgentState state) {
        this.state = state;
    }

    public Optional<FleetCredentials> load() throws EdgeLoopException {
        Optional<String> device = state.get(PREFIX + "deviceId");
        if (device.isEmpty()) {
            return Optional.empty();
        }
        List<String> keys = state.get(PREFIX + "publisherKeys").map(v -> Arrays.stream(v.split("\n"))
                .filter(k -> !k.isBlank()).toList()).orElse(List.of());
        return Optional.of(new FleetCredentials(device.get(), state.get(PREFIX + "mqttUrl").orElse(""),
                state.get(PREFIX + "mqttUsername").orElse(""), state.get(PREFIX + "mqttPassword").orElse(""), keys));
    }

    /** Saves the credentials; the device id is written last, so a crash midway leaves none. */
    public void save(FleetCredentials c) throws EdgeLoopException {
        state.put(PREFIX + "mqttUrl", c.mqttUrl());
        state.put(PREFIX + "mqttUsername", c.mqttUsername());
        state.put(PREFIX + "mqttPassword", c.mqttPassword());
        state.put(PREFIX + "publisherKeys", String.join("\n", c.publisherKeys()));
        state.put(PREFIX + "deviceId", c.deviceId());
    }
}
