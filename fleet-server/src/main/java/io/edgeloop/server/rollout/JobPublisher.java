package io.edgeloop.server.rollout;

import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.JobDocument;

/** Where the engine sends what devices must hear: job documents and commands. */
public interface JobPublisher {
    /**
     * Publishes a job document on the device's {@code jobs/notify}; true once the broker has it
     * (QoS 1), false when it could not be sent now (the engine tries again on a later tick).
     */
    boolean notify(JobDocument job);

    /** Publishes a command on the device's {@code cmd/{name}}; true once the broker has it. */
    boolean command(Command command);
}
