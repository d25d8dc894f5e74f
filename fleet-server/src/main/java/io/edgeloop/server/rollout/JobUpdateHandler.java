package io.edgeloop.server.rollout;

import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.server.db.JsonColumns;
import io.edgeloop.server.ingest.JobUpdateSink;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the agents' job execution updates to their executions, inside the ingest's transaction
 * (so on whichever replica received them). An update is accepted only when its {@code version}
 * is above the stored one and the state may move there ({@link JobExecutionState#canMoveTo});
 * otherwise it is refused as {@code STALE_UPDATE} and counted on the execution. One exception to
 * the state machine: an execution the server ended itself (timed out, canceled, silent) that the
 * device then reports {@code SUCCEEDED} or {@code ROLLED_BACK} takes the device's word, because the
 * device is what runs the version; the engine then decides (e.g. rolls it back).
 */
public final class JobUpdateHandler implements JobUpdateSink {
    private static final Logger LOG = LoggerFactory.getLogger(JobUpdateHandler.class);

    private final RolloutStore store = new RolloutStore();
    private final Clock clock;
    private final Map<String, RolloutDefinition.Timeouts> timeouts = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private volatile Runnable onCommit = () -> { };

    public JobUpdateHandler(Clock clock) {
        this.clock = clock;
    }

    /** What to call once applied updates are committed (the engine's wake-up). */
    public void onCommit(Runnable r) {
        this.onCommit = r;
    }

    @Override
    public void apply(Connection c, List<JobExecutionUpdate> updates) throws SQLException {
        // Rows are locked in device order, the order the engine's tick locks them in, so the two
        // never deadlock; per job the versions stay in order.
        List<JobExecutionUpdate> ordered = new java.util.ArrayList<>(updates);
        ordered.sort(java.util.Comparator.comparing(JobExecutionUpdate::deviceId).thenComparing(JobExecutionUpdate::jobId)
                .thenComparingLong(JobExecutionUpdate::version));
        for (JobExecutionUpdate u : ordered) {
            apply(c, u);
        }
    }

    @Override
    public void committed() {
        onCommit.run();
    }

    /** Updates accepted, refused as stale, and naming no known job, since start. */
    public long accepted() {
        return accepted.get();
    }

    public long refused() {
        return refused.get();
    }

    public long unknown() {
        return unknown.get();
    }

    /** The outcome of one update. */
    enum Outcome { ACCEPTED, STALE, UNKNOWN_JOB, DUPLICATE }

    Outcome apply(Connection c, JobExecutionUpdate u) throws SQLException {
        Optional<Execution> found = store.byJob(c, u.deviceId(), u.jobId());
        if (found.isPresent() && !store.firstSight(c, u.deviceId(), u.seq(), clock.millis())) {
            return Outcome.DUPLICATE; // this very message was applied (or refused) already
        }
        if (found.isEmpty()) {
            unknown.incrementAndGet();
            LOG.debug("job update for unknown job {} of {} dropped", u.jobId(), u.deviceId());
            return Outcome.UNKNOWN_JOB;
        }
        Execution e = found.get();
        long now = clock.millis();
        if (u.version() <= e.version || !mayMove(e, u.state())) {
            e.staleUpdates++;
            store.update(c, e);
            refused.incrementAndGet();
            LOG.info("{}: update v{} {} of job {} on {} refused (stored v{} {})", ErrorCode.STALE_UPDATE, u.version(),
                    u.state(), u.jobId(), u.deviceId(), e.version, e.state);
            return Outcome.STALE;
        }
        RolloutDefinition.Timeouts t = timeouts(c, e.rolloutId);
        JobExecutionState before = e.state;
        boolean stepChanged = e.step != u.step() || before != u.state();
        e.version = u.version();
        e.state = u.state();
        e.step = u.step();
        e.errorCode = u.errorCode();
        e.statusDetails = u.statusDetails().isEmpty() ? null : JsonColumns.write(u.statusDetails());
        e.updatedMs = now;
        if (u.state() == JobExecutionState.IN_PROGRESS && e.startedMs == null) {
            e.startedMs = now;
        }
        if (u.state().isTerminal()) {
            e.endedMs = now;
            e.deadlineMs = null;
            e.stepDeadlineMs = null;
            e.livenessDeadlineMs = null;
            if (u.state() == JobExecutionState.SUCCEEDED) {
                e.succeededMs = now;
                // Liveness after activation: the device must keep reporting while its wave soaks.
                e.livenessDeadlineMs = t.liveness().isZero() ? null : now + t.liveness().toMillis();
            }
            store.event(c, e.rolloutId, now, "execution." + u.state().name().toLowerCase(java.util.Locale.ROOT),
                    e.deviceId, u.errorCode() == null ? e.jobId : e.jobId + " " + u.errorCode());
        } else {
            if (stepChanged) {
                e.stepDeadlineMs = t.step().isZero() ? null : now + t.step().toMillis();
            }
            e.livenessDeadlineMs = t.liveness().isZero() ? null : now + t.liveness().toMillis();
        }
        store.update(c, e);
        accepted.incrementAndGet();
        return Outcome.ACCEPTED;
    }

    private static boolean mayMove(Execution e, JobExecutionState next) {
        if (e.state.canMoveTo(next)) {
            return true;
        }
        boolean serverEnded = e.state == JobExecutionState.TIMED_OUT || e.state == JobExecutionState.CANCELED
                || (e.state == JobExecutionState.FAILED && e.errorCode == ErrorCode.DEVICE_SILENT);
        return serverEnded && (next == JobExecutionState.SUCCEEDED || next == JobExecutionState.ROLLED_BACK
                || next == JobExecutionState.CANCELED || next == JobExecutionState.FAILED
                || next == JobExecutionState.REJECTED);
    }

    private RolloutDefinition.Timeouts timeouts(Connection c, String rolloutId) throws SQLException {
        RolloutDefinition.Timeouts t = timeouts.get(rolloutId);
        if (t != null) {
            return t;
        }
        try {
            t = store.find(c, rolloutId, false).map(r -> r.definition.timeouts()).orElse(RolloutDefinition.Timeouts.DEFAULTS);
        } catch (EdgeLoopException e) {
            t = RolloutDefinition.Timeouts.DEFAULTS;
        }
        timeouts.put(rolloutId, t);
        return t;
    }
}
