package io.edgeloop.agent.jobs;

/** What a long step asks of the job it runs for: whether to go on, and a wait a stop cuts short. */
interface StepControl {
    /** Throws when the job must stop now (canceled, rolled back, past its deadline, the agent closing). */
    void checkContinue() throws JobOutcome, JobStopped;

    /** Waits up to {@code millis}, returning early when the job is told to stop. */
    void pause(long millis);
}
