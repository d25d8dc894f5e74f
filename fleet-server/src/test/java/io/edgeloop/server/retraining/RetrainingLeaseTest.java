package io.edgeloop.server.retraining;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.fixtures.MutableClock;
import io.edgeloop.server.retraining.policy.DriftWindowFacts;
import io.edgeloop.server.retraining.policy.RetrainingEvidence;
import io.edgeloop.server.retraining.policy.VersionExpectation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two retraining services on one H2 file database, as two replicas on one PostgreSQL: evaluating the
 * same model at the same instant starts exactly one retraining (the model's lease), and a lease its
 * replica stopped renewing (killed) expires, its decision ends FAILED and the other replica retrains.
 * Evidence always says RETRAIN (the policy itself is tested apart); the job is a stand-in that holds
 * its slot until the test lets it finish, so the claim is what is under test.
 */
class RetrainingLeaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();
    private volatile CountDownLatch finish = new CountDownLatch(1);
    private Database probe;

    @AfterEach
    void close() throws Exception {
        finish.countDown();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void twoReplicasEvaluatingTheSameModelAtOnceStartOneRetraining() throws Exception {
        Clock clock = Clock.systemUTC();
        RetrainingService a = replica("replica-a", clock, Duration.ofMinutes(1));
        RetrainingService b = replica("replica-b", clock, Duration.ofMinutes(1));
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                String model = "m" + round;
                a.putPolicy(Actor.SYSTEM, model, JSON.createObjectNode());
                finish = new CountDownLatch(1);
                CyclicBarrier together = new CyclicBarrier(2);
                Future<ObjectNode> fa = callers.submit(() -> {
                    together.await();
                    return a.evaluate(Actor.SYSTEM, model, false);
                });
                Future<ObjectNode> fb = callers.submit(() -> {
                    together.await();
                    return b.evaluate(Actor.SYSTEM, model, false);
                });
                List<ObjectNode> answers = List.of(fa.get(30, TimeUnit.SECONDS), fb.get(30, TimeUnit.SECONDS));
                long training = answers.stream().filter(d -> d.get("state").asText().equals("TRAINING")).count();
                assertEquals(1, training, "round " + round + ": " + answers);
                ObjectNode other = answers.stream().filter(d -> !d.get("state").asText().equals("TRAINING"))
                        .findFirst().orElseThrow();
                assertEquals("WAIT", other.get("action").asText(), other.toString());
                assertEquals(1, decisionsIn(model, "TRAINING"), "one TRAINING row for " + model);
                String winner = answers.stream().filter(d -> d.get("state").asText().equals("TRAINING"))
                        .findFirst().orElseThrow().get("id").asText();
                awaitStarted(winner);
                assertEquals(1, started.stream().filter(id -> id.startsWith(model + "/")).count(), started.toString());
                finish.countDown();
                awaitLease(model, null);
                assertEquals(1, decisionsIn(model, "DONE"), "the stand-in job ended before its lease was freed");
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsDecisionEndsFailed() throws Exception {
        Instant start = Instant.now();
        MutableClock clockA = new MutableClock(start);
        MutableClock clockB = new MutableClock(start);
        RetrainingService a = replica("replica-a", clockA, Duration.ofMinutes(1));
        RetrainingService b = replica("replica-b", clockB, Duration.ofMinutes(1));
        a.putPolicy(Actor.SYSTEM, "m", JSON.createObjectNode());

        ObjectNode first = a.evaluate(Actor.SYSTEM, "m", false);
        assertEquals("TRAINING", first.get("state").asText(), first.toString());
        awaitStarted(first.get("id").asText());
        ObjectNode blocked = b.evaluate(Actor.SYSTEM, "m", false);
        assertEquals("WAIT", blocked.get("action").asText(), blocked.toString());

        // Replica a goes silent (its clock stands still, so its renewals stop extending the lease, as a
        // SIGKILL would); once the lease's minute has passed, b ends a's decision and retrains.
        clockB.advance(Duration.ofSeconds(61));
        ObjectNode second = b.evaluate(Actor.SYSTEM, "m", false);
        assertEquals("TRAINING", second.get("state").asText(), second.toString());
        awaitStarted(second.get("id").asText());
        ObjectNode abandoned = b.decision(first.get("id").asText());
        assertEquals("FAILED", abandoned.get("state").asText(), abandoned.toString());
        assertTrue(abandoned.get("error").asText().contains("stopped renewing its retraining lease"), abandoned.toString());
        assertEquals(1, decisionsIn("m", "TRAINING"));
        awaitLease("m", second.get("id").asText());
    }

    /** One replica's service on the shared file database, with stand-in evidence and job. */
    private RetrainingService replica(String id, Clock clock, Duration ttl) throws Exception {
        Database db = Database.embedded(dir);
        open.add(db);
        probe = probe == null ? db : probe;
        RetrainingStore store = new RetrainingStore(db);
        DecisionEnds ends = new DecisionEnds(store, new AuditLog(db, clock), clock);
        EvidenceSource evidence = (model, policy, now) -> drifting(now,
                db.transaction(store::running).map(StoredDecision::id).orElse(null));
        RetrainingRunner job = (d, policy) -> {
            started.add(d.model() + "/" + d.id());
            try {
                if (finish.await(60, TimeUnit.SECONDS)) {
                    ends.end(d.id(), d.model(), DecisionState.DONE, "stand-in job done", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        RetrainingService service = new RetrainingService(store, new AuditLog(db, clock), evidence, job, ends, null,
                clock, id, ttl);
        open.add(service);
        return service;
    }

    /** Two shifted cameras (estimate 0.5 against an expected 0.85) with enough captures and labels. */
    private static RetrainingEvidence drifting(Instant now, String inProgress) {
        long end = now.toEpochMilli() - 30_000;
        List<DriftWindowFacts> windows = List.of(
                new DriftWindowFacts("cam-1", "1.0.0", end, 200, 0.5, null, 0, 0.05, true, false),
                new DriftWindowFacts("cam-2", "1.0.0", end, 200, 0.5, null, 0, 0.05, true, false));
        return new RetrainingEvidence(now, 1, windows, Map.of("1.0.0", new VersionExpectation(0.85, Map.of())),
                Map.of("cam-1", 400L, "cam-2", 400L), Map.of("cam-1", 300L, "cam-2", 300L), null, inProgress);
    }

    private long decisionsIn(String model, String state) throws Exception {
        return probe.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM retraining_decisions"
                    + " WHERE model_name = ? AND state = ?")) {
                ps.setString(1, model);
                ps.setString(2, state);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private Optional<String> leaseHolder(String model) throws Exception {
        return probe.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT decision_id FROM retraining_leases WHERE model_name = ?")) {
                ps.setString(1, model);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.ofNullable(rs.getString(1));
                }
            }
        });
    }

    private void awaitLease(String model, String decisionId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!leaseHolder(model).equals(Optional.ofNullable(decisionId))) {
            assertTrue(System.nanoTime() < deadline, "lease of " + model + " is " + leaseHolder(model) + ", not " + decisionId);
            Thread.sleep(20);
        }
    }

    private void awaitStarted(String decisionId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (started.stream().noneMatch(s -> s.endsWith("/" + decisionId))) {
            assertTrue(System.nanoTime() < deadline, "job " + decisionId + " did not start: " + started);
            Thread.sleep(20);
        }
    }
}
