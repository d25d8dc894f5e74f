package io.edgeloop.agent.jobs;

import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.agent.serving.ModelRegistry;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.message.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code cmd/rollback} for a version that is active: back to the version the job replaced (or
 * the one the command names, else the previous one in the store's history), and the job that
 * activated it reported {@code ROLLED_BACK}. Idempotent: a job already rolled back is reported
 * again and nothing else happens; a rollback to the version already active changes nothing; a
 * re-delivered command (same seq and time) without a job is done once.
 */
final class RollbackCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RollbackCommand.class);
    static final String LAST_ROLLBACK = "cmd.rollback.last";

    private final JobStore jobs;
    private final ModelRegistry registry;
    private final AgentState state;

    RollbackCommand(JobStore jobs, ModelRegistry registry, AgentState state) {
        this.jobs = jobs;
        this.registry = registry;
        this.state = state;
    }

    /** Runs the command; {@code job} is the finished job it names, or null. */
    void run(Command command, JobRecord job) throws EdgeLoopException {
        String model = command.args().get("model");
        String version = command.args().get("version");
        if (model == null && job != null) {
            model = job.model();
        }
        if (model == null || model.isBlank()) {
            LOG.warn("{}: rollback names no model; ignored", ErrorCode.INVALID_ARGUMENT);
            return;
        }
        if (job == null) {
            withoutJob(command, model, version);
            return;
        }
        if (job.state() == JobExecutionState.ROLLED_BACK) {
            jobs.report(job, job.state(), job.step(), job.errorCode(), job.details());
            return;
        }
        if (job.state() != JobExecutionState.SUCCEEDED) {
            LOG.info("job {} ended {}; it activated nothing to roll back", job.jobId(), job.state());
            return;
        }
        String activated = job.details().get("activatedVersion");
        String active = registry.activeVersions().get(model);
        String target = version != null ? version : job.previous();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("rolledBackFrom", activated);
        if (activated != null && activated.equals(active)) {
            if (target != null) {
                registry.rollbackTo(model, target);
            } else {
                target = registry.rollback(model);
            }
        }
        details.put("activeVersion", registry.activeVersions().getOrDefault(model, "none"));
        jobs.report(job, JobExecutionState.ROLLED_BACK, job.step(), ErrorCode.ROLLED_BACK, details);
        LOG.info("job {} rolled back: {} {} -> {}", job.jobId(), model, activated, details.get("activeVersion"));
    }

    private void withoutJob(Command command, String model, String version) throws EdgeLoopException {
        String identity = command.seq() + "@" + command.ts().toEpochMilli();
        if (identity.equals(state.get(LAST_ROLLBACK).orElse(null))) {
            LOG.info("rollback seq {} was delivered again; done once already", command.seq());
            return;
        }
        if (version != null) {
            registry.rollbackTo(model, version);
        } else {
            registry.rollback(model);
        }
        state.put(LAST_ROLLBACK, identity);
        LOG.info("rolled back {} to {}", model, registry.activeVersions().get(model));
    }
}
