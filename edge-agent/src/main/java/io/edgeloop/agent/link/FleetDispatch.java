package io.edgeloop.agent.link;

import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.message.JobDocument;

/**
 * Hands the server's messages to the agent part that owns them: {@code cmd/capture} to
 * {@link CaptureCommand}, job documents and every other command to the job runner.
 */
public final class FleetDispatch implements FleetMessages {
    private final FleetMessages jobs;
    private final CaptureCommand capture;

    public FleetDispatch(FleetMessages jobs, CaptureCommand capture) {
        this.jobs = jobs;
        this.capture = capture;
    }

    @Override
    public void job(JobDocument job) {
        jobs.job(job);
    }

    @Override
    public void command(Command command) {
        if (command.name() == CommandName.CAPTURE) {
            capture.apply(command);
        } else {
            jobs.command(command);
        }
    }
}
