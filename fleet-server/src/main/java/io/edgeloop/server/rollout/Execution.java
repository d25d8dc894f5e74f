package io.edgeloop.server.rollout;

import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;

/**
 * One device's job execution in one rollout ({@code job_executions}), read and changed inside one
 * transaction. {@code version} is the last accepted update's; {@code outbox} is what the engine
 * still has to publish for it.
 */
final class Execution {
    /** What is waiting to be published for an execution. */
    enum Outbox { NOTIFY, CANCEL, ROLLBACK }

    String rolloutId;
    String deviceId;
    String jobId;
    String modelName;
    int waveIndex;
    JobExecutionState state;
    JobStep step;
    long version;
    int attempt;
    ErrorCode errorCode;
    String statusDetails;
    String previousVersion;
    int staleUpdates;
    Outbox outbox;
    String outboxReason;
    Long rollbackSentMs;
    long queuedMs;
    Long notifiedMs;
    Long startedMs;
    Long succeededMs;
    Long endedMs;
    long updatedMs;
    Long deadlineMs;
    Long stepDeadlineMs;
    Long livenessDeadlineMs;

    static String jobId(String rolloutId, int attempt) {
        return rolloutId + "-" + attempt;
    }

    /** Ends the execution on the server's own decision (timeout, cancel, silence). */
    void end(JobExecutionState terminal, ErrorCode code, long now) {
        state = terminal;
        errorCode = code;
        endedMs = now;
        updatedMs = now;
        deadlineMs = null;
        stepDeadlineMs = null;
        livenessDeadlineMs = null;
    }
}
