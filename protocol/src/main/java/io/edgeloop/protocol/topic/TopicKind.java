package io.edgeloop.protocol.topic;

/**
 * What a topic under {@code edgeloop/v1/devices/{deviceId}/} carries, and who publishes it.
 * The suffix uses {@code +} where the topic holds a job id or command name.
 */
public enum TopicKind {
    /** Retained agent announcement: profile, hardware, loaded models. */
    BIRTH("birth", true),
    /** Retained presence; also the agent's MQTT last will. */
    STATUS("status", true),
    /** Server's job document for this device. */
    JOB_NOTIFY("jobs/notify", false),
    /** Agent's execution updates for one job; the level after {@code jobs} is the job id. */
    JOB_UPDATE("jobs/+/update", true),
    /** Agent's periodic health telemetry. */
    HEALTH("telemetry/health", true),
    /** Agent's drift statistics for one window. */
    DRIFT("telemetry/drift", true),
    /** Agent's captured inferences (inputs and answers) for retraining. */
    CAPTURES("telemetry/captures", true),
    /** Agent's labels for captured inferences, from its feedback endpoint. */
    LABELS("telemetry/labels", true),
    /** Server's command to the agent; the last level is the command name. */
    COMMAND("cmd/+", false);

    private final String suffix;
    private final boolean fromAgent;

    TopicKind(String suffix, boolean fromAgent) {
        this.suffix = suffix;
        this.fromAgent = fromAgent;
    }

    /** The topic levels after the device id, with {@code +} for the job id or command name. */
    public String suffix() {
        return suffix;
    }

    /** True when the agent publishes this kind and the server consumes it. */
    public boolean fromAgent() {
        return fromAgent;
    }
}
