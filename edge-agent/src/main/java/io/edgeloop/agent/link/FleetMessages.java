package io.edgeloop.agent.link;

import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.JobDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent does with the server's messages: job documents and commands. Rollouts (the next
 * issue) plug in here; {@link #LOGGING} only records them.
 */
public interface FleetMessages {
    void job(JobDocument job);

    void command(Command command);

    /** Logs each message and does nothing else. */
    FleetMessages LOGGING = new FleetMessages() {
        private final Logger log = LoggerFactory.getLogger(FleetMessages.class);

        @Override
        public void job(JobDocument job) {
            log.info("job {} received for {} {} (not executed: rollouts are not wired yet)", job.jobId(),
                    job.packageName(), job.packageVersion());
        }

        @Override
        public void command(Command command) {
            log.info("command {} received (not executed yet)", command.name().wireName());
        }
    };
}
