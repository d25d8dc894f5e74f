package io.edgeloop.server.retraining;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.RolloutState;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.access.Secrets;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.retraining.policy.PolicyJson;
import io.edgeloop.server.retraining.policy.RetrainingDecision;
import io.edgeloop.server.retraining.policy.RetrainingEvidence;
import io.edgeloop.server.retraining.policy.RetrainingPolicy;
import io.edgeloop.server.rollout.RolloutDefinition;
import io.edgeloop.server.rollout.RolloutService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's retraining loop: stores each model's {@link RetrainingPolicy}, evaluates it on
 * demand and every {@code --retraining-interval}, records every decision with its reasons and
 * figures (and audits it), and hands RETRAIN decisions that are not dry runs to a
 * {@link RetrainingJob} on its own thread, one retraining at a time. With several replicas on one
 * database the model's lease ({@link RetrainingLeaseKeeper}) is taken in the transaction that
 * records the TRAINING decision, so exactly one replica starts it. Each tick also moves
 * ROLLING_OUT decisions to DONE or FAILED once their rollout ended. A periodic decision that starts
 * nothing (WAIT, or a dry run) is recorded only when its action, dry-run flag or blockers differ
 * from the model's last decision, so a quiet fleet does not write a row every interval.
 */
public final class RetrainingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainingService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int MAX_LIST = 500;

    /** How long a replica's retraining lease lasts without renewal (renewed every third of it). */
    public static final Duration LEASE_TTL = Duration.ofMinutes(1);
    private static final int CLAIM_RETRIES = 5;

    private final RetrainingStore store;
    private final AuditLog audit;
    private final EvidenceSource evidence;
    private final RetrainingRunner job;
    private final DecisionEnds ends;
    private final RolloutService rollouts;
    private final Clock clock;
    private final String worker;
    static final long CLOSE_WAIT_SECONDS = 30;

    private final ExecutorService trainer = Executors.newSingleThreadExecutor(r -> daemon(r, "edgeloop-retraining"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "edgeloop-retraining-tick"));
    private final RetrainingLeaseKeeper leases;

    /**
     * @param worker the replica id: decisions it left TRAINING or GATED are ended FAILED when a replica
     *               of that id starts
     */
    RetrainingService(RetrainingStore store, AuditLog audit, EvidenceSource evidence, RetrainingRunner job,
                      DecisionEnds ends, RolloutService rollouts, Clock clock, String worker, Duration leaseTtl) {
        this.store = store;
        this.audit = audit;
        this.evidence = evidence;
        this.job = job;
        this.ends = ends;
        this.rollouts = rollouts;
        this.clock = clock;
        this.worker = worker;
        this.leases = new RetrainingLeaseKeeper(store, new RetrainingLeases(), ends, clock,
                worker + "/" + HexFormat.of().formatHex(Secrets.randomBytes(4)), leaseTtl, ticker);
    }

    /** Marks retrainings this worker left running before a restart as FAILED, then ticks every {@code interval}. */
    void start(Duration interval) throws EdgeLoopException {
        List<StoredDecision> interrupted = store.db().transaction(c -> {
            List<StoredDecision> out = new java.util.ArrayList<>(store.runningOf(c, worker, DecisionState.TRAINING));
            out.addAll(store.runningOf(c, worker, DecisionState.GATED));
            return out;
        });
        for (StoredDecision d : interrupted) {
            ends.end(d.id(), d.model(), DecisionState.FAILED, "interrupted", "the server restarted while it was "
                    + d.state().name().toLowerCase(java.util.Locale.ROOT));
            leases.release(d.model(), d.id());
        }
        ticker.scheduleWithFixedDelay(this::tickQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ObjectNode putPolicy(Actor actor, String model, JsonNode body) throws EdgeLoopException {
        RetrainingPolicy policy = parse(body);
        if (policy.rollout() != null) {
            // The template is checked as the rollout it will become, so a bad one fails here, not after training.
            ObjectNode probe = policy.rollout().deepCopy();
            probe.put("package", model + ":0.0.0");
            try {
                RolloutDefinition.parse(probe);
            } catch (EdgeLoopException e) {
                throw new EdgeLoopException(e.code(), "retraining policy rollout: " + e.getMessage(), e);
            }
        }
        ObjectNode json = PolicyJson.write(policy);
        long now = clock.millis();
        return store.db().transaction(c -> {
            Optional<RetrainingStore.StoredPolicy> before = store.policy(c, model);
            store.putPolicy(c, model, json, policy.enabled(), now, actor.name());
            leases.ensure(c, model);
            ObjectNode answer = answer(new RetrainingStore.StoredPolicy(model, json, policy.enabled(), now, actor.name()));
            audit.record(c, actor, "retraining.policy", "retraining-policy:" + model,
                    before.map(RetrainingService::answer).orElse(null), answer);
            return answer;
        });
    }

    public ObjectNode policy(String model) throws EdgeLoopException {
        return answer(store.db().transaction(c -> store.policy(c, model)).orElseThrow(() -> noPolicy(model)));
    }

    public ArrayNode policies() throws EdgeLoopException {
        ArrayNode out = JSON.createArrayNode();
        for (RetrainingStore.StoredPolicy p : store.policies()) {
            out.add(answer(p));
        }
        return out;
    }

    /**
     * Evaluates {@code model}'s policy now and records the decision.
     *
     * @param dryRun null: the policy's own setting; true or false overrides it for this evaluation
     */
    public ObjectNode evaluate(Actor actor, String model, Boolean dryRun) throws EdgeLoopException {
        for (int attempt = 1; ; attempt++) {
            Optional<StoredDecision> d = decide(actor, model, dryRun, false);
            if (d.isPresent()) {
                return d.get().json();
            }
            // Another evaluation (here or on another replica) took the model's lease between collecting and
            // recording: deciding again sees that retraining running and answers WAIT.
            if (attempt == CLAIM_RETRIES) {
                return store.db().transaction(c -> store.last(c, model)).orElseThrow(() -> noPolicy(model)).json();
            }
        }
    }

    public ArrayNode decisions(String model, int limit) throws EdgeLoopException {
        ArrayNode out = JSON.createArrayNode();
        for (StoredDecision d : store.decisions(model, Math.max(1, Math.min(MAX_LIST, limit)))) {
            out.add(d.json());
        }
        return out;
    }

    public ObjectNode decision(String id) throws EdgeLoopException {
        return store.db().transaction(c -> store.decision(c, id)).orElseThrow(() -> new EdgeLoopException(
                ErrorCode.RETRAINING_DECISION_NOT_FOUND, "no retraining decision '" + id + "'")).json();
    }

    /**
     * One pass: end retrainings whose replica died (their lease expired), advance rollouts of running
     * retrainings, then evaluate every enabled policy.
     */
    public void tick() throws EdgeLoopException {
        leases.reapExpired();
        for (StoredDecision d : store.db().transaction(c -> store.inState(c, DecisionState.ROLLING_OUT))) {
            advance(d);
        }
        for (RetrainingStore.StoredPolicy p : store.policies()) {
            if (!p.enabled()) {
                continue;
            }
            try {
                decide(Actor.SYSTEM, p.model(), null, true);
            } catch (EdgeLoopException | RuntimeException e) {
                // One model's failure (its telemetry, its stored policy) does not keep the others from being evaluated.
                LOG.warn("cannot evaluate the retraining policy of {}: {}", p.model(), e.getMessage());
            }
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (EdgeLoopException | RuntimeException e) {
            LOG.warn("retraining tick failed: {}", e.getMessage(), e);
        }
    }

    private synchronized Optional<StoredDecision> decide(Actor actor, String model, Boolean dryRun, boolean periodic)
            throws EdgeLoopException {
        RetrainingStore.StoredPolicy stored = store.db().transaction(c -> store.policy(c, model))
                .orElseThrow(() -> noPolicy(model));
        RetrainingPolicy policy = parse(stored.policy());
        if (!periodic) {
            leases.reapExpired();
        }
        if (dryRun != null) {
            policy = policy.withDryRun(dryRun);
        }
        Instant now = clock.instant();
        RetrainingEvidence e = evidence.collect(model, policy, now);
        RetrainingDecision decision = policy.decide(e);
        ObjectNode figures = JSON.valueToTree(decision.figures());
        figures.put("capturesSinceMillis", e.lastRetrainingAt() == null ? 0 : e.lastRetrainingAt().toEpochMilli());
        boolean start = decision.retrain() && !policy.dryRun();
        String id = "d-" + HexFormat.of().formatHex(Secrets.randomBytes(6));
        StoredDecision d = new StoredDecision(id, model, now.toEpochMilli(), policy.dryRun(), decision.action().name(),
                start ? DecisionState.TRAINING : DecisionState.DECIDED, actor.name(), decision.reasons(),
                decision.blockers(), figures, PolicyJson.write(policy), e.productionVersion(), null, null, null, null,
                null, null, start ? "queued for training" : null, null, now.toEpochMilli());
        RetrainingPolicy chosen = policy;
        boolean recorded = store.db().transaction(c -> {
            if (periodic && !start) {
                Optional<StoredDecision> last = store.last(c, model);
                if (last.isPresent() && last.get().action().equals(decision.action().name())
                        && last.get().dryRun() == chosen.dryRun() && last.get().blockers().equals(decision.blockers())) {
                    return false;
                }
            }
            if (start && (store.running(c).isPresent() || !leases.claim(c, model, id))) {
                // Another evaluation, on this replica or another, won the slot between collecting and recording.
                return false;
            }
            store.insert(c, d, worker);
            audit.record(c, actor, "retraining.decide", RetrainingJob.target(model), null, d.json());
            return true;
        });
        if (!recorded) {
            // Periodic: nothing new to say, or another evaluation took the slot (evaluate() decides again).
            return Optional.empty();
        }
        LOG.info("retraining decision {} for {}: {}{} ({})", id, model, decision.action(), policy.dryRun() ? " (dry run)" : "",
                String.join("; ", decision.reasons()));
        if (start) {
            trainer.submit(() -> leases.holding(d, () -> job.run(d, chosen)));
        }
        return Optional.of(d);
    }

    /** A ROLLING_OUT decision whose rollout ended: DONE when it succeeded, FAILED otherwise. */
    private void advance(StoredDecision d) throws EdgeLoopException {
        RolloutState state;
        try {
            state = RolloutState.valueOf(rollouts.get(d.rolloutId()).path("state").asText());
        } catch (EdgeLoopException e) {
            ends.end(d.id(), d.model(), DecisionState.FAILED, "rollout " + d.rolloutId() + " is gone", e.getMessage());
            return;
        }
        if (!state.isTerminal()) {
            return;
        }
        if (state == RolloutState.SUCCEEDED) {
            ends.end(d.id(), d.model(), DecisionState.DONE, "rollout " + d.rolloutId() + " succeeded", null);
        } else {
            ends.end(d.id(), d.model(), DecisionState.FAILED, "rollout " + d.rolloutId() + " ended " + state,
                    "the rollout of " + d.packageName() + ":" + d.packageVersion() + " ended " + state);
        }
    }

    private static RetrainingPolicy parse(JsonNode body) throws EdgeLoopException {
        try {
            return PolicyJson.parse(body);
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "retraining policy: " + e.getMessage());
        }
    }

    private static ObjectNode answer(RetrainingStore.StoredPolicy p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", p.model());
        o.setAll((ObjectNode) p.policy());
        o.put("updatedAt", Instant.ofEpochMilli(p.updatedMillis()).toString()).put("updatedBy", p.updatedBy());
        return o;
    }

    private static EdgeLoopException noPolicy(String model) {
        return new EdgeLoopException(ErrorCode.RETRAINING_POLICY_NOT_FOUND, "model '" + model
                + "' has no retraining policy");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Stops evaluating and interrupts a running retraining, then waits (bounded) until both threads
     * have ended, so nothing writes into the database or the runs folder after close returns.
     */
    @Override
    public void close() {
        ticker.shutdownNow();
        trainer.shutdownNow();
        try {
            if (!ticker.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
                    || !trainer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("the retraining threads did not end within {} s of close", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
