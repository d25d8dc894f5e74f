package io.edgeloop.agent;

import io.edgeloop.agent.link.AgentBirth;
import io.edgeloop.agent.link.CaptureCommand;
import io.edgeloop.agent.link.FleetDispatch;
import io.edgeloop.agent.link.FleetMessages;
import io.edgeloop.agent.link.EnrolmentClient;
import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.agent.link.FleetEnrolment;
import io.edgeloop.agent.link.FleetLink;
import io.edgeloop.agent.link.LinkOptions;
import io.edgeloop.profiles.probe.HardwareProbe;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.HardwareSummary;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Joins a running agent to its fleet: credentials kept from an earlier enrolment or exchanged
 * for the one-time token now, then a started {@link FleetLink} on the agent's outbox, handing
 * job documents and commands to the agent's job runner (started here, so jobs run with no
 * further wiring), {@code cmd/capture} to the agent's capture sampling, and the capture uploader
 * started. Used by
 * {@code edgeloop agent --server … --enrol-token …} and by in-process fleets alike.
 *
 * @param server the fleet server's base URL, or null when already enrolled
 * @param enrolToken the one-time token, or null when already enrolled
 * @param mqttUrl a broker URL replacing enrolment's, or null
 * @param probeHardware whether to probe the hardware for the birth message (else the JVM's view)
 */
public record FleetJoin(URI server, String enrolToken, String mqttUrl, LinkOptions link, boolean probeHardware) {
    public static FleetJoin of(URI server, String enrolToken) {
        return new FleetJoin(server, enrolToken, null, LinkOptions.DEFAULTS, true);
    }

    public FleetJoin withLink(LinkOptions options) {
        return new FleetJoin(server, enrolToken, mqttUrl, options, probeHardware);
    }

    public FleetJoin withMqttUrl(String url) {
        return new FleetJoin(server, enrolToken, url, link, probeHardware);
    }

    public FleetJoin withoutHardwareProbe() {
        return new FleetJoin(server, enrolToken, mqttUrl, link, false);
    }

    /**
     * Enrols when needed and starts the link.
     *
     * @param scheduler shared by the links of one JVM, or null for the link's own thread
     */
    public FleetLink connect(Agent agent, String profileId, EnrolmentClient enrolment, ScheduledExecutorService scheduler)
            throws EdgeLoopException {
        FleetCredentials credentials = FleetEnrolment.resolve(agent.state(), enrolment, server, agent.deviceId(), enrolToken,
                profileId, mqttUrl);
        HardwareSummary hardware = AgentBirth.jvmSummary();
        if (probeHardware) {
            try {
                hardware = AgentBirth.summary(new HardwareProbe(Path.of("/")).probe());
            } catch (EdgeLoopException | RuntimeException e) {
                // the JVM's view will do for the birth message
            }
        }
        FleetMessages handlers = new FleetDispatch(agent.jobs(), new CaptureCommand(agent.deviceId(), agent.captureSampling()));
        FleetLink started = new FleetLink(credentials, agent.outbox(), agent.state(),
                new AgentBirth(profileId, hardware, agent.registry(), agent.store()), handlers, link, scheduler,
                new MessageCodec());
        // Unfinished jobs of an earlier run resume now; their updates wait in the outbox for the link.
        agent.jobs().start();
        // Captures and feedback labels go to the fleet through the outbox (capture.upload).
        agent.startCaptureUpload();
        started.start();
        return started;
    }
}
