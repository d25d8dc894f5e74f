package io.edgeloop.protocol.message;

import java.time.Instant;
import java.util.List;

/**
 * The agent's retained announcement on {@code birth}, sent on every connect: which device
 * profile it matched, what hardware it runs on, and which models it serves.
 *
 * @param deviceId the announcing device
 * @param ts creation time
 * @param seq per-device sequence number
 * @param profileId id of the matched device profile
 * @param hardware the hardware probe's summary
 * @param agentVersion the agent's version
 * @param models the model versions loaded now; may be empty
 */
public record BirthMessage(String deviceId, Instant ts, long seq, String profileId, HardwareSummary hardware,
                           String agentVersion, List<ModelRef> models) implements Message {
    /** Schema id of this record. */
    public static final String SCHEMA = "edgeloop.birth/1";

    public BirthMessage {
        FieldChecks.header(deviceId, ts, seq);
        FieldChecks.text("profileId", profileId);
        FieldChecks.present("hardware", hardware);
        FieldChecks.text("agentVersion", agentVersion);
        models = FieldChecks.list("models", models);
    }

    @Override
    public String schema() {
        return SCHEMA;
    }
}
