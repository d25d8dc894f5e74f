package io.edgeloop.protocol.topic;

import io.edgeloop.protocol.InvalidFieldException;

/**
 * A parsed EdgeLoop topic: whose it is, what it carries, and the job id or command name it names.
 *
 * @param deviceId the device the topic belongs to
 * @param kind what the topic carries
 * @param jobId the job id for {@link TopicKind#JOB_UPDATE}, else {@code null}
 * @param commandName the command name for {@link TopicKind#COMMAND}, else {@code null}
 */
public record DeviceTopic(String deviceId, TopicKind kind, String jobId, String commandName) {
    public DeviceTopic {
        TopicSegments.require("deviceId", deviceId);
        if (kind == null) {
            throw new InvalidFieldException("kind", "is missing");
        }
        if (kind == TopicKind.JOB_UPDATE) {
            TopicSegments.require("jobId", jobId);
        } else if (jobId != null) {
            throw new InvalidFieldException("jobId", "only a " + TopicKind.JOB_UPDATE + " topic names a job");
        }
        if (kind == TopicKind.COMMAND) {
            TopicSegments.require("commandName", commandName);
        } else if (commandName != null) {
            throw new InvalidFieldException("commandName", "only a " + TopicKind.COMMAND + " topic names a command");
        }
    }

    /** The topic string this address stands for. */
    public String topic() {
        return switch (kind) {
            case BIRTH -> Topics.birth(deviceId);
            case STATUS -> Topics.status(deviceId);
            case JOB_NOTIFY -> Topics.jobNotify(deviceId);
            case JOB_UPDATE -> Topics.jobUpdate(deviceId, jobId);
            case HEALTH -> Topics.health(deviceId);
            case DRIFT -> Topics.drift(deviceId);
            case CAPTURES -> Topics.captures(deviceId);
            case LABELS -> Topics.labels(deviceId);
            case COMMAND -> Topics.command(deviceId, commandName);
        };
    }
}
