package io.edgeloop.server.retraining;

import io.edgeloop.protocol.EdgeLoopException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * This replica's side of the per-model retraining leases: claims one in the transaction that
 * records a TRAINING decision, renews it every third of its time to live while the job runs,
 * frees it when the job returns, and ends decisions whose holder stopped renewing (a replica
 * killed with SIGKILL) as FAILED so that a dead replica blocks a model for one lease at most.
 */
final class RetrainingLeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainingLeaseKeeper.class);

    private final RetrainingStore store;
    private final RetrainingLeases leases;
    private final DecisionEnds ends;
    private final Clock clock;
    private final String owner;
    private final Duration ttl;
    private final ScheduledExecutorService renewer;

    /** @param owner this process: the replica id and a per-start suffix, so a restarted replica waits out its old leases */
    RetrainingLeaseKeeper(RetrainingStore store, RetrainingLeases leases, DecisionEnds ends, Clock clock, String owner,
                          Duration ttl, ScheduledExecutorService renewer) {
        this.store = store;
        this.leases = leases;
        this.ends = ends;
        this.clock = clock;
        this.owner = owner;
        this.ttl = ttl;
        this.renewer = renewer;
    }

    String owner() {
        return owner;
    }

    void ensure(Connection c, String model) throws SQLException {
        leases.ensure(c, model);
    }

    /** Takes {@code model}'s lease for {@code decisionId} in the caller's transaction; false when another holds it. */
    boolean claim(Connection c, String model, String decisionId) throws SQLException {
        return leases.claim(c, model, owner, decisionId, clock.millis(), ttl.toMillis());
    }

    /**
     * Runs {@code work} (on the caller's thread) holding {@code d}'s lease: renewed while it runs,
     * freed after. Should a renewal find the lease taken (this replica was silent past its time to
     * live and another ended the decision), the work's thread is interrupted.
     */
    void holding(StoredDecision d, Runnable work) {
        Thread worker = Thread.currentThread();
        long every = Math.max(1, ttl.toMillis() / 3);
        ScheduledFuture<?> renewal = renewer.scheduleWithFixedDelay(() -> renew(d, worker), every, every,
                TimeUnit.MILLISECONDS);
        try {
            work.run();
        } finally {
            renewal.cancel(false);
            release(d.model(), d.id());
        }
    }

    /** Frees {@code decisionId}'s lease of {@code model} (its job ended, or a restart ended it). */
    void release(String model, String decisionId) {
        try {
            store.db().transaction(c -> leases.release(c, model, decisionId, 0));
        } catch (EdgeLoopException e) {
            LOG.warn("cannot free the retraining lease of {} ({}): {}; it expires in {}", model, decisionId,
                    e.getMessage(), ttl);
        }
    }

    /** Frees leases whose holder stopped renewing and ends their decisions FAILED if still mid-way; how many. */
    int reapExpired() throws EdgeLoopException {
        long now = clock.millis();
        int reaped = 0;
        for (RetrainingLeases.Expired e : store.db().transaction(c -> leases.expired(c, now))) {
            boolean mine = store.db().transaction(c -> {
                // The conditional release decides which replica reaps, when several see it expired.
                if (!leases.release(c, e.model(), e.decisionId(), now)) {
                    return false;
                }
                Optional<StoredDecision> d = e.decisionId() == null ? Optional.empty() : store.decision(c, e.decisionId());
                if (d.isPresent() && (d.get().state() == DecisionState.TRAINING || d.get().state() == DecisionState.GATED)) {
                    ends.end(c, d.get().id(), d.get().model(), DecisionState.FAILED, "abandoned", "replica "
                            + e.owner() + " stopped renewing its retraining lease while "
                            + d.get().state().name().toLowerCase(java.util.Locale.ROOT));
                }
                return true;
            });
            if (mine) {
                LOG.warn("retraining lease of {} held by {} for {} expired; freed it", e.model(), e.owner(), e.decisionId());
                reaped++;
            }
        }
        return reaped;
    }

    private void renew(StoredDecision d, Thread worker) {
        try {
            boolean held = store.db().transaction(c -> leases.renew(c, d.model(), owner, d.id(), clock.millis(),
                    ttl.toMillis()));
            if (!held) {
                LOG.error("retraining {} of {} lost its lease (another replica ended it); stopping it", d.id(), d.model());
                worker.interrupt();
            }
        } catch (EdgeLoopException | RuntimeException e) {
            LOG.warn("cannot renew the retraining lease of {}: {}", d.model(), e.getMessage());
        }
    }
}
