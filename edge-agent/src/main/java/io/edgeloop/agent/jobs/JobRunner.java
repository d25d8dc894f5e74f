package io.edgeloop.agent.jobs;

import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.agent.health.ShadowStats;
import io.edgeloop.agent.link.FleetMessages;
import io.edgeloop.agent.serving.ModelRegistry;
import io.edgeloop.agent.store.ModelStore;
import io.edgeloop.packageformat.ProfileTraits;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.JobDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's job runner: every job document and job command of the fleet goes through here. Jobs
 * are persisted in RocksDB on arrival and run one at a time in arrival order on one thread (so a
 * device never has two executions of a model in progress), each through
 * {@code DOWNLOADING → VERIFYING → INSTALLING → VALIDATING → ACTIVATING} ({@link JobSteps}), each
 * step reported through the durable outbox. A restart (or {@code kill -9}) resumes the job from
 * its persisted step and download offset. A cancel or rollback of the running job stops it at
 * the next step boundary (or aborts its download); the job's deadline does the same.
 *
 * <p>The thread exists only while there is work: an agent with nothing to do holds none, which
 * keeps a thousand simulated agents in one JVM cheap.
 */
public final class JobRunner implements FleetMessages, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final String deviceId;
    private final JobStore jobs;
    private final JobSteps steps;
    private final RollbackCommand rollbacks;
    private final MessageCodec codec = new MessageCodec();
    private final ThreadPoolExecutor executor;
    private final Object signal = new Object();
    private volatile String current;
    private volatile String stop;
    private volatile HttpURLConnection connection;
    private volatile boolean closed;
    /** Jobs that could not be finished in this run (see {@link #leaveIfUnfinished}). */
    private final java.util.Set<String> skipped = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param device    the traits of this device's profile (which package variant it takes)
     * @param publisher the trusted publisher keys packages are verified with
     * @param dataDir   the agent's data directory; partial downloads go to {@code dataDir/jobs}
     */
    public JobRunner(String deviceId, ProfileTraits device, AgentState state, TelemetryOutbox outbox, ModelStore store,
                     ModelRegistry registry, ShadowStats shadow, TrustedKeys publisher, Path dataDir,
                     JobOptions options, Clock clock) throws EdgeLoopException {
        this.deviceId = deviceId;
        options.validate();
        this.jobs = new JobStore(state, outbox, codec, deviceId, clock);
        Path dir = dataDir.resolve("jobs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot create " + dir, e);
        }
        this.steps = new JobSteps(jobs, store, registry, publisher, device, dir, options, clock,
                new CandidateValidation(registry, shadow, options), new Signals());
        this.rollbacks = new RollbackCommand(jobs, registry, state);
        this.executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "jobs-" + deviceId);
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Resumes the jobs a previous run left unfinished (after a restart or a crash). */
    public void start() {
        submit();
    }

    @Override
    public void job(JobDocument job) {
        if (!deviceId.equals(job.deviceId())) {
            LOG.warn("{}: job {} is for device {}, not {}; ignored", ErrorCode.INVALID_ARGUMENT, job.jobId(), job.deviceId(),
                    deviceId);
            return;
        }
        try {
            accept(job);
        } catch (EdgeLoopException e) {
            LOG.warn("job {} not stored: {}", job.jobId(), e.describe());
            return;
        }
        submit();
    }

    private synchronized void accept(JobDocument job) throws EdgeLoopException {
        Optional<JobRecord> known = jobs.get(job.jobId());
        if (known.isEmpty()) {
            jobs.enqueue(new JobRecord(job.jobId(), 0, new String(codec.encode(job), StandardCharsets.UTF_8),
                    job.packageName(), JobExecutionState.QUEUED, null, 0, null, Map.of(), null, null));
            LOG.info("job {} queued: {} {}", job.jobId(), job.packageName(), job.packageVersion());
            return;
        }
        JobRecord record = known.get();
        if (record.terminal()) {
            // The server did not hear the end (or sent the document again): say it again, do not run again.
            jobs.report(record, record.state(), record.step(), record.errorCode(), record.details());
            LOG.info("job {} was delivered again; it already ended {}", job.jobId(), record.state());
        } else {
            LOG.info("job {} was delivered again; it is {} and goes on where it is", job.jobId(), record.state());
        }
    }

    @Override
    public void command(Command command) {
        if (!deviceId.equals(command.deviceId())) {
            LOG.warn("{}: command for device {}, not {}; ignored", ErrorCode.INVALID_ARGUMENT, command.deviceId(), deviceId);
            return;
        }
        try {
            switch (command.name()) {
                case CANCEL -> cancel(command.args().get("jobId"), reasonOf(command.args().get("reason")));
                case ROLLBACK -> rollback(command);
                default -> LOG.info("command {} is not handled by the job runner", command.name().wireName());
            }
        } catch (EdgeLoopException e) {
            LOG.warn("command {} failed: {}", command.name().wireName(), e.describe());
        }
    }

    private static ErrorCode reasonOf(String reason) {
        if (reason == null || reason.isBlank()) {
            return ErrorCode.JOB_CANCELED;
        }
        try {
            return ErrorCode.valueOf(reason.strip());
        } catch (IllegalArgumentException e) {
            return ErrorCode.JOB_CANCELED;
        }
    }

    private void cancel(String jobId, ErrorCode reason) throws EdgeLoopException {
        if (jobId == null || jobId.isBlank()) {
            LOG.warn("{}: cancel without a jobId; ignored", ErrorCode.INVALID_ARGUMENT);
            return;
        }
        stopJob(jobId, JobExecutionState.CANCELED, reason);
    }

    /**
     * Ends a job that has not finished: the running one at its next step boundary (its download
     * aborted now), a pending one at once. Remembered for a job whose document has not come yet,
     * which then ends as soon as it does.
     */
    private void stopJob(String jobId, JobExecutionState state, ErrorCode code) throws EdgeLoopException {
        synchronized (this) {
            Optional<JobRecord> known = jobs.get(jobId);
            if (known.isPresent() && known.get().terminal()) {
                LOG.info("job {} already ended {}; {} ignored", jobId, known.get().state(), state);
                return;
            }
            String request = state.name() + ":" + code.name();
            jobs.stopRequest(jobId, request);
            if (jobId.equals(current)) {
                stop = request;
                HttpURLConnection open = connection;
                if (open != null) {
                    open.disconnect();
                }
                synchronized (signal) {
                    signal.notifyAll();
                }
            } else if (known.isPresent()) {
                steps.finishPending(known.get(), state, code);
            }
        }
        LOG.info("job {}: {} ({}) requested", jobId, state, code);
    }

    private void rollback(Command command) throws EdgeLoopException {
        String jobId = command.args().get("jobId");
        Optional<JobRecord> job = jobId == null ? Optional.empty() : jobs.get(jobId);
        if (job.isPresent() && !job.get().terminal()) {
            // Not activated yet: the job ends ROLLED_BACK and the active version stays.
            stopJob(jobId, JobExecutionState.ROLLED_BACK, ErrorCode.ROLLED_BACK);
            return;
        }
        synchronized (this) {
            rollbacks.run(command, job.orElse(null));
        }
    }

    private void submit() {
        if (closed) {
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Runs pending jobs, oldest first, until none is left or the agent closes. */
    private void drain() {
        while (!closed) {
            JobRecord next;
            synchronized (this) {
                try {
                    next = nextPending();
                } catch (EdgeLoopException e) {
                    LOG.warn("cannot read the pending jobs: {}", e.describe());
                    return;
                }
                if (next == null) {
                    return;
                }
                current = next.jobId();
                try {
                    stop = jobs.stopRequest(next.jobId()).orElse(null);
                } catch (EdgeLoopException e) {
                    stop = null;
                }
            }
            try {
                steps.run(next);
            } catch (JobStopped e) {
                LOG.info("job {} paused; it resumes at the next start", next.jobId());
                return;
            } catch (RuntimeException e) {
                LOG.error("job {} failed unexpectedly", next.jobId(), e);
                steps.failUnexpectedly(next.jobId(), e);
            } finally {
                leaveIfUnfinished(next.jobId());
                synchronized (this) {
                    current = null;
                    stop = null;
                }
            }
        }
    }

    /**
     * A job the steps left unfinished without the agent closing (its end could not be stored)
     * leaves the queue, so it cannot hold every later job; it runs again at the next start.
     */
    private void leaveIfUnfinished(String jobId) {
        if (closed) {
            return;
        }
        try {
            Optional<JobRecord> r = jobs.get(jobId);
            if (r.isPresent() && !r.get().terminal()) {
                LOG.error("job {} is still {} after its run; it waits for the next start", jobId, r.get().state());
                skipped.add(jobId);
            }
        } catch (EdgeLoopException e) {
            skipped.add(jobId);
        }
    }

    private JobRecord nextPending() throws EdgeLoopException {
        for (String id : jobs.pending()) {
            if (skipped.contains(id)) {
                continue;
            }
            Optional<JobRecord> r = jobs.get(id);
            if (r.isPresent() && !r.get().terminal()) {
                return r.get();
            }
            jobs.forgetPending(id);
        }
        return null;
    }

    /** The state of a job as this agent last reported it, if it knows the job. */
    public Optional<JobExecutionState> state(String jobId) throws EdgeLoopException {
        return jobs.get(jobId).map(JobRecord::state);
    }

    /** Ids of the jobs not finished, in the order they run. */
    public List<String> pending() throws EdgeLoopException {
        return jobs.pending();
    }

    /** Stops the running job where it is (it resumes at the next start) and ends the thread. */
    @Override
    public void close() {
        closed = true;
        HttpURLConnection open = connection;
        if (open != null) {
            open.disconnect();
        }
        synchronized (signal) {
            signal.notifyAll();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the job runner of {} did not stop within 10 s", deviceId);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    /** How the steps see the runner's stop signals. */
    final class Signals {
        boolean closed() {
            return closed;
        }

        String stopRequest() {
            return stop;
        }

        void connection(HttpURLConnection open) {
            connection = open;
            if (open != null && (closed || stop != null)) {
                open.disconnect();
            }
        }

        void pause(long millis) {
            synchronized (signal) {
                if (closed || stop != null) {
                    return;
                }
                try {
                    signal.wait(Math.max(1, millis));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** The activation step and rollback commands never interleave. */
        Object activationLock() {
            return JobRunner.this;
        }
    }
}
