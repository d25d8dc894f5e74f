package io.edgeloop.server.broker;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Moquette broker (MQTT 3.1.1) of a single-machine server: no anonymous logins;
 * devices log in with their enrolment credentials (and the client id must be their device id, so
 * a revoked device's session can be found and cut), the server with {@link ServerMqttLogin};
 * topics are checked by {@link BrokerAccessPolicy}. Moquette 0.17 has no shared subscriptions,
 * which one embedded broker serving one server does not need.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    /**
     * Largest MQTT message accepted (Moquette's {@code netty.mqtt.message_size}; its default is
     * 8,092 bytes, and a larger message makes it drop the connection, which an agent's outbox
     * would then resend forever). 2 MiB: well above the 256 KiB a capture batch is kept under, so
     * an oversized message reaches the ingest and is refused there with its code.
     */
    public static final int MAX_MESSAGE_BYTES = 2 << 20;

    private final Server server = new Server();
    private final MqttCredentialCheck devices;
    private final int port;
    private volatile boolean closed;

    /**
     * Starts listening on {@code host:port} ({@code port} 0 picks a free one).
     *
     * @throws EdgeLoopException INVALID_ARGUMENT when the port cannot be bound
     */
    public EmbeddedBroker(String host, int port, MqttCredentialCheck devices, ServerMqttLogin serverLogin,
                          BrokerAccessPolicy policy) throws EdgeLoopException {
        this.devices = devices;
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, host);
        // Moquette 0.17 does not report the port it bound for 0, so a free one is picked here.
        int bind = port == 0 ? freePort(host) : port;
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(bind));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        IAuthenticator authenticator = (clientId, username, password) -> {
            if (serverLogin.matches(username, password)) {
                return true;
            }
            boolean ok = username != null && username.equals(clientId)
                    && devices.authenticate(username, password).map(username::equals).orElse(false);
            if (!ok) {
                LOG.info("refused MQTT login of client {} as user {}", clientId, username);
            }
            return ok;
        };
        IAuthorizatorPolicy authorizator = new IAuthorizatorPolicy() {
            @Override
            public boolean canWrite(Topic topic, String user, String client) {
                return policy.canPublish(user, topic.toString()) && !revoked(user);
            }

            @Override
            public boolean canRead(Topic topic, String user, String client) {
                return policy.canSubscribe(user, topic.toString()) && !revoked(user);
            }
        };
        try {
            server.startServer(new MemoryConfig(p), List.of(), null, authenticator, authorizator);
        } catch (IOException | RuntimeException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the embedded MQTT broker cannot listen on "
                    + host + ":" + port + " (is the port in use?): " + e.getMessage(), e);
        }
        this.port = bind;
        LOG.info("embedded MQTT broker listening on {}:{}", host, this.port);
    }

    private static int freePort(String host) throws EdgeLoopException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "no free port on " + host + ": " + e.getMessage(), e);
        }
    }

    private boolean revoked(String user) {
        return !ServerMqttLogin.USERNAME.equals(user) && devices.isRevoked(user);
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** {@code tcp://host:port} for clients on this machine. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Cuts a revoked device's connection and drops its session; its next login is refused. */
    public void cutOff(String deviceId) {
        if (server.disconnectAndPurgeClientState(deviceId)) {
            LOG.info("disconnected revoked device {}", deviceId);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            server.stopServer();
        }
    }
}
