package io.edgeloop.agent.jobs;

/**
 * The agent is closing: a job stops where it is, reports nothing, and resumes from its persisted
 * step and download offset at the next start (the same as after a {@code kill -9}).
 */
final class JobStopped extends Exception {
    private static final long serialVersionUID = 1L;

    JobStopped() {
        super("the agent is closing", null, false, false);
    }
}
