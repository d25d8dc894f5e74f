package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.job.JobExecutionState;
import java.util.Map;

/**
 * How many executions of a wave (or a rollout) stand in each job execution state.
 *
 * @param queued      notified, not started
 * @param inProgress  working through the steps
 * @param succeeded   the new version is active
 * @param failed      a step failed
 * @param rejected    the device refused the job
 * @param timedOut    a deadline passed
 * @param canceled    withdrawn by the server
 * @param rolledBack  activated, then reverted
 */
public record ExecutionCounts(int queued, int inProgress, int succeeded, int failed, int rejected, int timedOut,
                              int canceled, int rolledBack) {
    /** No executions. */
    public static final ExecutionCounts NONE = new ExecutionCounts(0, 0, 0, 0, 0, 0, 0, 0);

    public ExecutionCounts {
        PolicyChecks.atLeast("queued", queued, 0);
        PolicyChecks.atLeast("inProgress", inProgress, 0);
        PolicyChecks.atLeast("succeeded", succeeded, 0);
        PolicyChecks.atLeast("failed", failed, 0);
        PolicyChecks.atLeast("rejected", rejected, 0);
        PolicyChecks.atLeast("timedOut", timedOut, 0);
        PolicyChecks.atLeast("canceled", canceled, 0);
        PolicyChecks.atLeast("rolledBack", rolledBack, 0);
    }

    /** Counts from a map of state to count; states absent from the map count 0. */
    public static ExecutionCounts of(Map<JobExecutionState, ? extends Number> byState) {
        PolicyChecks.present("byState", byState);
        return new ExecutionCounts(get(byState, JobExecutionState.QUEUED), get(byState, JobExecutionState.IN_PROGRESS),
                get(byState, JobExecutionState.SUCCEEDED), get(byState, JobExecutionState.FAILED),
                get(byState, JobExecutionState.REJECTED), get(byState, JobExecutionState.TIMED_OUT),
                get(byState, JobExecutionState.CANCELED), get(byState, JobExecutionState.ROLLED_BACK));
    }

    private static int get(Map<JobExecutionState, ? extends Number> byState, JobExecutionState state) {
        Number n = byState.get(state);
        return n == null ? 0 : Math.toIntExact(n.longValue());
    }

    /** The count in {@code state}. */
    public int count(JobExecutionState state) {
        return switch (PolicyChecks.present("state", state)) {
            case QUEUED -> queued;
            case IN_PROGRESS -> inProgress;
            case SUCCEEDED -> succeeded;
            case FAILED -> failed;
            case REJECTED -> rejected;
            case TIMED_OUT -> timedOut;
            case CANCELED -> canceled;
            case ROLLED_BACK -> rolledBack;
        };
    }

    /** These counts with one more execution in {@code state}. */
    public ExecutionCounts plus(JobExecutionState state) {
        return new ExecutionCounts(queued + is(state, JobExecutionState.QUEUED),
                inProgress + is(state, JobExecutionState.IN_PROGRESS), succeeded + is(state, JobExecutionState.SUCCEEDED),
                failed + is(state, JobExecutionState.FAILED), rejected + is(state, JobExecutionState.REJECTED),
                timedOut + is(state, JobExecutionState.TIMED_OUT), canceled + is(state, JobExecutionState.CANCELED),
                rolledBack + is(state, JobExecutionState.ROLLED_BACK));
    }

    /** These counts and {@code other} added up (e.g. the waves of a rollout). */
    public ExecutionCounts plus(ExecutionCounts other) {
        PolicyChecks.present("other", other);
        return new ExecutionCounts(queued + other.queued, inProgress + other.inProgress, succeeded + other.succeeded,
                failed + other.failed, rejected + other.rejected, timedOut + other.timedOut,
                canceled + other.canceled, rolledBack + other.rolledBack);
    }

    private static int is(JobExecutionState state, JobExecutionState wanted) {
        return PolicyChecks.present("state", state) == wanted ? 1 : 0;
    }

    /** Executions that reached a terminal state (everything but queued and in progress). */
    public int executed() {
        return succeeded + failed + rejected + timedOut + canceled + rolledBack;
    }

    /** Executions that ended in the failure kind {@code type}. */
    public int failures(FailureType type) {
        return switch (PolicyChecks.present("type", type)) {
            case FAILED -> failed;
            case REJECTED -> rejected;
            case TIMED_OUT -> timedOut;
            case ALL -> failed + rejected + timedOut;
        };
    }

    /** All executions, in any state. */
    public int total() {
        return queued + inProgress + executed();
    }

    /** Executions not yet terminal. */
    public int pending() {
        return queued + inProgress;
    }
}
