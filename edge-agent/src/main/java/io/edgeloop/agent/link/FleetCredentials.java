package io.edgeloop.agent.link;

/**
 * What enrolment hands an agent: its device id, its own MQTT login, and the package publisher
 * keys the server trusts (base64 X.509), with which the agent verifies the packages of its jobs
 * unless it was given a key of its own. The password is shown once by the server and kept only
 * in the agent's state.
 */
public record FleetCredentials(String deviceId, String mqttUrl, String mqttUsername, String mqttPassword,
                               java.util.List<String> publisherKeys) {
    public FleetCredentials {
        require("deviceId", deviceId);
        require("mqttUrl", mqttUrl);
        require("mqttUsername", mqttUsername);
        require("mqttPassword", mqttPassword);
        publisherKeys = publisherKeys == null ? java.util.List.of() : java.util.List.copyOf(publisherKeys);
    }

    /** Credentials without publisher keys (a server that hands none). */
    public FleetCredentials(String deviceId, String mqttUrl, String mqttUsername, String mqttPassword) {
        this(deviceId, mqttUrl, mqttUsername, mqttPassword, java.util.List.of());
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is missing");
        }
    }

    /** The same login with another broker URL (an operator override). */
    public FleetCredentials withMqttUrl(String url) {
        return new FleetCredentials(deviceId, url, mqttUsername, mqttPassword, publisherKeys);
    }

    @Override
    public String toString() {
        return "FleetCredentials[deviceId=" + deviceId + ", mqttUrl=" + mqttUrl + ", mqttUsername=" + mqttUsername + "]";
    }
}
