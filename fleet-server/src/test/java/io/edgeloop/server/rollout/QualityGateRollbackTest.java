package io.edgeloop.server.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.message.HardwareSummary;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.InferenceStats;
import io.edgeloop.protocol.message.ModelRef;
import io.edgeloop.protocol.message.ResourceUsage;
import io.edgeloop.protocol.topic.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality gate during soak: devices that took 1.1.0 report health through the real ingest; a
 * candidate failing 30 % of its requests (the previous version failed none) breaches the gate,
 * notifications stop, every device that took the version gets cmd/rollback to 1.0.0 and reports
 * ROLLED_BACK, and the rollout ends ROLLED_BACK with its breach, halt and rollback times.
 */
class QualityGateRollbackTest {
    @TempDir
    Path dir;
    @TempDir
    Path packages;
    private RolloutHarness h;
    private final Map<String, Long> seq = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        h = new RolloutHarness(dir, packages);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private long next(String device) {
        return seq.merge(device, 1L, Long::sum);
    }

    private void health(String device, String version, long requests, long errors, double p95Micros, Instant ts) {
        h.fleet.publish(Topics.health(device), new HealthReport(device, ts, next(device),
                new InferenceStats(p95Micros / 2, p95Micros, p95Micros * 1.2, 10, requests, errors),
                new ResourceUsage(5, 1 << 20, 1L << 30, 100), List.of(new ModelRef("classifier", version, "fp32")), null));
    }

    @Test
    void aBreachDuringSoakHaltsWithin10sAndRollsTheWaveBack() throws Exception {
        h.devices("lab", 4);
        Instant before = h.clock.instant().minusSeconds(120);
        for (String d : List.of("d-00", "d-01", "d-02", "d-03")) {
            h.fleet.publish(Topics.birth(d), new BirthMessage(d, before, next(d), "generic-x86_64",
                    new HardwareSummary("Linux", "amd64", "cpu", 2, 1 << 30, List.of(), List.of()), "0.1.0",
                    List.of(new ModelRef("classifier", "1.0.0", "fp32"))));
            health(d, "1.0.0", 1000, 0, 2000, before);
            health(d, "1.0.0", 1200, 0, 2000, before.plusSeconds(60));
        }
        RolloutHarness.waitFor(20, () -> {
            try {
                return h.api.get("/api/v1/devices/d-03/reported", h.admin).status() == 200;
            } catch (Exception e) {
                return false;
            }
        }, "births stored");
        // Gate figures are numbers, or null for a check that is off.
        assertEquals(400, h.api.post("/api/v1/rollouts", h.operator, Map.of("package", "classifier:1.1.0",
                "target", Map.of("group", "lab"), "gate", Map.of("maxErrorRate", "high"))).status());
        String gated = createGated();
        JsonNode soaking = h.await(gated, 20, r -> r.get("waves").get(0).get("state").asText().equals("SOAKING"),
                "wave 1 soaking");
        assertEquals(2, soaking.get("counts").get("SUCCEEDED").asInt());
        Set<String> took = new HashSet<>();
        h.fleet.jobs.stream().filter(j -> j.rolloutId().equals(gated)).forEach(j -> took.add(j.deviceId()));
        assertEquals(2, took.size());
        JsonNode exec = h.executions(gated);
        exec.forEach(e -> assertEquals("1.0.0", e.get("previousVersion").asText()));

        Instant t = h.clock.instant();
        long sent = System.nanoTime();
        for (String d : took) {
            health(d, "1.1.0", 0, 0, 2100, t.plusSeconds(1));
            health(d, "1.1.0", 100, 30, 2100, t.plusSeconds(2));
        }
        JsonNode halted = h.await(gated, 30, r -> r.get("breachAt").isTextual(), "the breach");
        double toHalt = (System.nanoTime() - sent) / 1e9;
        assertTrue(toHalt < 10, "notifications stop within 10 s of the evidence arriving: " + toHalt + " s");
        assertEquals("BREACH", halted.get("gate").get("outcome").asText());
        JsonNode done = h.awaitState(gated, "ROLLED_BACK");
        assertNotNull(done.get("haltedAt").textValue());
        assertNotNull(done.get("rolledBackAt").textValue());
        assertEquals(2, done.get("counts").get("ROLLED_BACK").asInt());
        List<Command> rollbacks = h.fleet.commands(CommandName.ROLLBACK);
        assertEquals(2, rollbacks.size());
        for (Command c : rollbacks) {
            assertTrue(took.contains(c.deviceId()));
            assertEquals("classifier", c.args().get("model"));
            assertEquals("1.0.0", c.args().get("version"));
            assertEquals(gated + "-1", c.args().get("jobId"));
        }
        assertEquals(2, h.fleet.jobs.stream().filter(j -> j.rolloutId().equals(gated)).count(),
                "wave 2 was never notified");
        JsonNode errorRate = null;
        for (JsonNode c : done.get("gate").get("checks")) {
            if (c.get("name").asText().equals("errorRate")) {
                errorRate = c;
            }
        }
        assertNotNull(errorRate, done.get("gate").toPrettyString());
        assertEquals(0.3, errorRate.get("observed").asDouble(), 1e-9);
        assertEquals(200, done.get("gate").get("candidate").get("requests").asLong());
        assertEquals(60, done.get("gate").get("candidate").get("errors").asLong());
        JsonNode audit = h.api.get("/api/v1/audit?target=rollout:" + gated, h.admin).json();
        JsonNode breach = null;
        for (JsonNode a : audit) {
            if (a.get("action").asText().equals("rollout.gate.breach")) {
                breach = a;
            }
        }
        assertNotNull(breach, audit.toPrettyString());
        assertTrue(breach.get("after").get("figures").get("gate").get("checks").size() > 0, breach.toPrettyString());
        assertEquals("system", breach.get("actorId").asText());
    }

    private String createGated() throws Exception {
        Map<String, Object> gate = new HashMap<>();
        gate.put("maxErrorRate", 0.05);
        gate.put("minRequests", 50);
        gate.put("maxP95Ratio", 1.5);
        gate.put("maxAccuracyDrop", null);
        gate.put("maxDriftIncrease", null);
        return h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "waves", List.of(Map.of("percent", 50, "soakSeconds", 600), Map.of("percent", 100)), "gate", gate));
    }
}
