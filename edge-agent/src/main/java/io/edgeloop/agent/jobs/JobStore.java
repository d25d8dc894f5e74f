package io.edgeloop.agent.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.message.JobExecutionUpdate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job runner's durable state in the agent's RocksDB {@code state} family: one record per job,
 * the list of jobs not finished (in arrival order), the most recent finished ones (so a
 * re-delivered document of a finished job re-reports its end instead of running again), and
 * download offsets. Every update goes into the outbox in the same atomic write as the record it
 * reports, so after a crash the record and the updates sent agree.
 */
final class JobStore {
    static final String RECORD = "job.";
    static final String OFFSET = "job-offset.";
    static final String STOP = "job-stop.";
    static final String PENDING = "jobs.pending";
    static final String DONE = "jobs.done";
    static final String NEXT_ORDER = "jobs.next-order";
    /** Finished jobs remembered for re-delivered documents. */
    static final int DONE_KEPT = 256;

    private final AgentState state;
    private final TelemetryOutbox outbox;
    private final MessageCodec codec;
    private final String deviceId;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    JobStore(AgentState state, TelemetryOutbox outbox, MessageCodec codec, String deviceId, Clock clock) {
        this.state = state;
        this.outbox = outbox;
        this.codec = codec;
        this.deviceId = deviceId;
        this.clock = clock;
    }

    synchronized Optional<JobRecord> get(String jobId) throws EdgeLoopException {
        Optional<String> v = state.get(RECORD + jobId);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(v.get(), JobRecord.class));
        } catch (JsonProcessingException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "job record " + jobId + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Jobs not finished, oldest first. */
    synchronized List<String> pending() throws EdgeLoopException {
        return list(PENDING);
    }

    /** Stores a new job at the end of the pending list; the order number is assigned here. */
    synchronized JobRecord enqueue(JobRecord job) throws EdgeLoopException {
        long order = state.getLong(NEXT_ORDER, 1);
        JobRecord numbered = new JobRecord(job.jobId(), order, job.document(), job.model(), job.state(), job.step(),
                job.version(), job.errorCode(), job.details(), job.installed(), job.previous());
        List<String> pending = new ArrayList<>(list(PENDING));
        pending.add(job.jobId());
        Map<String, String> changes = new HashMap<>();
        changes.put(RECORD + job.jobId(), write(numbered));
        changes.put(PENDING, String.join("\n", pending));
        changes.put(NEXT_ORDER, Long.toString(order + 1));
        state.putAll(changes);
        return numbered;
    }

    /** Stores a changed record without reporting it. */
    synchronized void save(JobRecord job) throws EdgeLoopException {
        state.put(RECORD + job.jobId(), write(job));
    }

    /**
     * Reports the next update of {@code job} (version + 1) through the outbox and stores the
     * record that says so, in one atomic write; a terminal update also moves the job from the
     * pending list to the finished ones and drops its download offset.
     */
    synchronized JobRecord report(JobRecord job, JobExecutionState next, JobStep step, ErrorCode code,
                                  Map<String, String> details) throws EdgeLoopException {
        JobRecord updated = job.withStep(next, step, job.version() + 1, code, details);
        Map<String, String> changes = new HashMap<>();
        changes.put(RECORD + job.jobId(), write(updated));
        if (next.isTerminal()) {
            List<String> pending = new ArrayList<>(list(PENDING));
            pending.remove(job.jobId());
            changes.put(PENDING, String.join("\n", pending));
            List<String> done = new ArrayList<>(list(DONE));
            done.remove(job.jobId());
            done.add(job.jobId());
            while (done.size() > DONE_KEPT) {
                String forgotten = done.remove(0);
                changes.put(RECORD + forgotten, null);
                changes.put(STOP + forgotten, null);
            }
            changes.put(DONE, String.join("\n", done));
            changes.put(OFFSET + job.jobId(), null);
        }
        outbox.append(TelemetryOutbox.JOB_UPDATES, seq -> codec.encode(new JobExecutionUpdate(deviceId, clock.instant(),
                seq, job.jobId(), next, step, details, updated.version(), code)), changes);
        return updated;
    }

    synchronized long offset(String jobId) throws EdgeLoopException {
        return state.getLong(OFFSET + jobId, 0);
    }

    synchronized void offset(String jobId, long offset) throws EdgeLoopException {
        state.putLong(OFFSET + jobId, offset);
    }

    /** A cancel or rollback received for the job, as {@code STATE:CODE} (e.g. {@code CANCELED:JOB_SUPERSEDED}). */
    synchronized Optional<String> stopRequest(String jobId) throws EdgeLoopException {
        return state.get(STOP + jobId);
    }

    synchronized void stopRequest(String jobId, String request) throws EdgeLoopException {
        state.put(STOP + jobId, request);
    }

    /** Drops {@code jobId} from the pending list (a record that is gone or already finished). */
    synchronized void forgetPending(String jobId) throws EdgeLoopException {
        List<String> pending = new ArrayList<>(list(PENDING));
        if (pending.remove(jobId)) {
            state.put(PENDING, String.join("\n", pending));
        }
    }

    private List<String> list(String key) throws EdgeLoopException {
        return state.get(key).map(v -> Arrays.stream(v.split("\n")).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    private String write(JobRecord job) throws EdgeLoopException {
        try {
            return json.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new EdgeLoopException(ErrorCode.INTERNAL, "cannot encode job record " + job.jobId(), e);
        }
    }
}
