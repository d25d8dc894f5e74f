package io.edgeloop.server;

import io.edgeloop.server.devices.DeviceCredentials;

import java.nio.file.Path;

/**
 * The seam where the embedded MQTT broker plugs into {@link FleetServer}: it starts on a port,
 * checks device logins with {@link DeviceCredentials}, and closes with the server. The broker
 * itself (Moquette with per-device authentication and ACL) comes with the MQTT half of the fleet
 * link; until it is wired here, {@link #NONE} runs the server without MQTT.
 */
@FunctionalInterface
public interface BrokerStarter {
    /** A started broker: the port it listens on; closing stops it. */
    interface Running extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    Running start(int port, DeviceCredentials credentials, Path dataDir) throws Exception;

    BrokerStarter NONE = (port, credentials, dataDir) -> {
        org.slf4j.LoggerFactory.getLogger(BrokerStarter.class).warn("no embedded MQTT broker in this build;"
                + " the REST API runs without MQTT (pass --mqtt-url for an external broker)");
        return new Running() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
            }
        };
    };
}
