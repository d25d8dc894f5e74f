package io.edgeloop.agent.jobs;

import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;

import java.util.Map;

/**
 * Ends a job's steps with a terminal state: thrown by a step that cannot go on (a failed
 * verification, a full disk, a cancel, the deadline), caught once by the runner, which reports it.
 */
final class JobOutcome extends Exception {
    private static final long serialVersionUID = 1L;

    private final JobExecutionState state;
    private final ErrorCode code;
    private final transient Map<String, String> details;

    JobOutcome(JobExecutionState state, ErrorCode code, String reason, Map<String, String> details) {
        super(reason, null, false, false);
        this.state = state;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    static JobOutcome failed(ErrorCode code, String reason) {
        return new JobOutcome(JobExecutionState.FAILED, code, reason, Map.of());
    }

    static JobOutcome of(JobExecutionState state, ErrorCode code, String reason) {
        return new JobOutcome(state, code, reason, Map.of());
    }

    JobExecutionState state() {
        return state;
    }

    ErrorCode code() {
        return code;
    }

    Map<String, String> details() {
        return details;
    }
}
