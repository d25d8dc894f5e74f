package io.edgeloop.agent.link;

/**
 * What enrolment hands an agent: its device id and its own MQTT login. The password is shown once
 * by the server and kept only in the agent's state.
 */
public record FleetCredentials(String deviceId, String mqttUrl, String mqttUsername, String mqttPassword) {
    public FleetCredentials {
        require("deviceId", deviceId);
        require("mqttUrl", mqttUrl);
        require("mqttUsername", mqttUsername);
        require("mqttPassword", mqttPassword);
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is missing");
        }
    }

    /** The same login with another broker URL (an operator override). */
    public FleetCredentials withMqttUrl(String url) {
        return new FleetCredentials(deviceId, url, mqttUsername, mqttPassword);
    }

    @Override
    public String toString() {
        return "FleetCredentials[deviceId=" + deviceId + ", mqttUrl=" + mqttUrl + ", mqttUsername=" + mqttUsername + "]";
    }
}
