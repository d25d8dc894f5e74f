package io.edgeloop.bench.fleet;

import io.edgeloop.agent.buffer.AgentDb;
import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.agent.buffer.BufferOptions;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.agent.link.AgentBirth;
import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.agent.link.FleetLink;
import io.edgeloop.agent.link.FleetMessages;
import io.edgeloop.agent.link.LinkOptions;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.InferenceStats;
import io.edgeloop.protocol.message.ModelRef;
import io.edgeloop.protocol.message.OutputDrift;
import io.edgeloop.protocol.message.ResourceUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A publisher on the agent's own code path without models or HTTP: a real RocksDB outbox and
 * state, and a real {@link FleetLink} sending the outbox. Tests and the ingest benchmark use many
 * of these to produce telemetry at a chosen rate.
 */
public final class LightAgent implements AutoCloseable {
    public static final ModelRef MODEL = new ModelRef("fashion", "1.0.0", "fp32");

    private final String deviceId;
    private final AgentDb db;
    private final TelemetryOutbox outbox;
    private final FleetLink link;
    private final MessageCodec codec;

    public LightAgent(Path dir, FleetCredentials credentials, LinkOptions options, ScheduledExecutorService scheduler,
                      MessageCodec codec) throws EdgeLoopException {
        this.deviceId = credentials.deviceId();
        this.codec = codec;
        this.db = new AgentDb(dir, BufferOptions.DEFAULT);
        this.outbox = new TelemetryOutbox(db);
        AgentState state = new AgentState(db);
        FleetLink.BirthSource birth = (id, seq) -> new BirthMessage(id, Instant.now(), seq, "generic-x86_64",
                AgentBirth.jvmSummary(), AgentBirth.AGENT_VERSION, List.of(MODEL));
        this.link = new FleetLink(credentials, outbox, state, birth, FleetMessages.LOGGING, options, scheduler, codec);
    }

    public LightAgent start() {
        link.start();
        return this;
    }

    /** Appends one health report to the outbox; returns its seq. */
    public long health() throws EdgeLoopException {
        return outbox.append("health", seq -> codec.encode(new HealthReport(deviceId, Instant.now(), seq,
                new InferenceStats(120, 250, 400, 10, seq * 10, 0), new ResourceUsage(3, 50_000_000, 1_000_000_000, seq),
                List.of(MODEL), null)));
    }

    /** Appends one drift report to the outbox; returns its seq. */
    public long drift(boolean drifted) throws EdgeLoopException {
        Instant now = Instant.now();
        return outbox.append("drift", seq -> codec.encode(new DriftReport(deviceId, now, seq, MODEL, now.minusSeconds(10),
                now, 100, List.of(), new OutputDrift(0.05, 0.5, drifted), 0.9, null, drifted, 0.01)));
    }

    public String deviceId() {
        return deviceId;
    }

    public FleetLink link() {
        return link;
    }

    /** Messages still waiting for the broker's acknowledgement. */
    public int pending() {
        return outbox.pending("health", 1_000_000).size() + outbox.pending("drift", 1_000_000).size();
    }

    @Override
    public void close() {
        link.close();
        db.close();
    }
}
