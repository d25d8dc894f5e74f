package io.edgeloop.server.rollout.policy;

/**
 * Which terminal outcomes count as failures for {@link AbortCriteria}, as in AWS IoT Jobs'
 * abort configuration. {@link #ALL} is the three together; a canceled or rolled-back execution is
 * a decision of the server, never a failure of the device.
 */
public enum FailureType {
    /** Executions that ended {@code FAILED}. */
    FAILED,
    /** Executions the device refused ({@code REJECTED}). */
    REJECTED,
    /** Executions that passed a deadline ({@code TIMED_OUT}). */
    TIMED_OUT,
    /** {@code FAILED}, {@code REJECTED} and {@code TIMED_OUT} together. */
    ALL
}
