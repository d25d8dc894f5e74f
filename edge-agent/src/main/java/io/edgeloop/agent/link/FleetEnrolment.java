package io.edgeloop.agent.link;

import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import java.net.URI;
import java.util.Optional;

/**
 * Where an agent's fleet credentials come from: the ones kept from an earlier enrolment, or a
 * one-time enrolment token exchanged now (and kept). The token is needed once only.
 */
public final class FleetEnrolment {
    private FleetEnrolment() {
    }

    /**
     * The device id of the credentials kept in {@code state}, when this data directory is enrolled
     * (read from the agent's own database: the agent's device id must be the enrolled one from its
     * first start on).
     */
    public static Optional<String> enrolledDeviceId(AgentState state) throws EdgeLoopException {
        return new CredentialStore(state).load().map(FleetCredentials::deviceId);
    }

    /**
     * The kept credentials, or those {@code enrolToken} is exchanged for at {@code server} (then kept).
     *
     * @param mqttUrl a broker URL that replaces the one enrolment gave, or null
     * @throws EdgeLoopException INVALID_ARGUMENT when nothing is kept and no token is given, or the
     *     kept device id differs from {@code deviceId}; the server's code when it refuses the token
     */
    public static FleetCredentials resolve(AgentState state, EnrolmentClient client, URI server, String deviceId,
                                           String enrolToken, String profileId, String mqttUrl) throws EdgeLoopException {
        CredentialStore store = new CredentialStore(state);
        Optional<FleetCredentials> kept = store.load();
        FleetCredentials credentials;
        if (kept.isPresent()) {
            credentials = kept.get();
            if (deviceId != null && !deviceId.isBlank() && !deviceId.equals(credentials.deviceId())) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "this data directory is enrolled as device "
                        + credentials.deviceId() + ", not " + deviceId + "; use another --data-dir to enrol another device");
            }
        } else {
            if (enrolToken == null || enrolToken.isBlank() || server == null) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "this agent is not enrolled yet: pass --server URL"
                        + " and --enrol-token TOKEN (from 'edgeloop fleet devices enrol " + deviceId + "')");
            }
            credentials = client.enrol(server, deviceId, enrolToken, profileId);
            if (!credentials.deviceId().equals(deviceId)) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the server enrolled device " + credentials.deviceId()
                        + " for a token asked for as " + deviceId);
            }
            store.save(credentials);
        }
        return mqttUrl == null || mqttUrl.isBlank() ? credentials : credentials.withMqttUrl(mqttUrl);
    }
}
