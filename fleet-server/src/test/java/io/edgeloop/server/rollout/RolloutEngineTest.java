package io.edgeloop.server.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.server.fixtures.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout engine end to end in one JVM: REST in, job documents out over the embedded broker,
 * fake devices answering with updates through the real ingest, the engine advancing on H2.
 */
class RolloutEngineTest {
    @TempDir
    Path dir;
    @TempDir
    Path packages;
    private RolloutHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new RolloutHarness(dir, packages);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void wavesAdvanceAndEveryDeviceSucceedsOnce() throws Exception {
        h.devices("lab", 10);
        h.device("elsewhere", "other");
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "wavePercents", "10,50,100"));
        JsonNode done = h.awaitState(id, "SUCCEEDED");
        JsonNode waves = done.get("waves");
        assertEquals(List.of(1, 4, 5), List.of(waves.get(0).get("targeted").asInt(), waves.get(1).get("targeted").asInt(),
                waves.get(2).get("targeted").asInt()));
        assertEquals(10, done.get("counts").get("SUCCEEDED").asInt());
        assertEquals(10, h.fleet.jobs.size(), "each device notified exactly once");
        Set<String> devices = new HashSet<>();
        h.fleet.jobs.forEach(j -> devices.add(j.deviceId()));
        assertEquals(10, devices.size());
        JobDocument first = h.fleet.jobsOf("d-00").get(0);
        assertTrue(first.canary(), "wave 1 is the canary");
        assertTrue(first.downloadUrl().startsWith("http://localhost:" + h.server.httpPort() + "/api/v1/packages/"),
                first.downloadUrl());
        assertEquals(id + "-1", first.jobId());
        assertEquals(200, h.api.get(first.downloadUrl().substring(first.downloadUrl().indexOf("/api/")), null).status(),
                "the job's download URL works for the device");
        assertTrue(!h.fleet.jobsOf("d-09").get(0).canary());
        assertEquals(0, h.fleet.jobsOf("elsewhere").size());
        for (JsonNode e : h.executions(id)) {
            assertEquals("SUCCEEDED", e.get("state").asText());
            assertEquals(5, e.get("version").asInt());
        }
        JsonNode audit = h.api.get("/api/v1/audit?target=rollout:" + id, h.admin).json();
        Set<String> actions = new HashSet<>();
        audit.forEach(a -> actions.add(a.get("action").asText()));
        assertTrue(actions.containsAll(Set.of("rollout.create", "rollout.start", "rollout.wave.start", "rollout.wave.done",
                "rollout.succeeded")), actions.toString());
        JsonNode succeeded = null;
        for (JsonNode a : audit) {
            if (a.get("action").asText().equals("rollout.succeeded")) {
                succeeded = a.get("after").get("figures");
            }
        }
        assertEquals(10, succeeded.get("counts").get("SUCCEEDED").asInt(), "the completion is audited with its figures: "
                + succeeded);
        assertEquals(10, succeeded.get("targets").asInt());
        assertEquals(0, succeeded.get("rolledBack").asInt());
        // A finished rollout no longer holds its package; a live one does.
        assertEquals(200, h.api.delete("/api/v1/packages/classifier/1.1.0", h.admin).status());
    }

    @Test
    void staleAndBackwardUpdatesAreRefusedAndCounted() throws Exception {
        h.devices("lab", 1);
        h.fleet.defaultBehaviour = FakeFleet.SILENT;
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("devices", List.of("d-00"))));
        try {
            RolloutHarness.waitFor(20, () -> h.fleet.jobs.size() == 1, "the job document");
        } catch (AssertionError e) {
            throw new AssertionError(h.executions(id).toPrettyString(), e);
        }
        String job = h.fleet.jobs.get(0).jobId();
        h.fleet.sendVersion("d-00", job, new FakeFleet.Reply(JobExecutionState.IN_PROGRESS, JobStep.INSTALLING, null), 3);
        h.await(id, 20, r -> execution(r, h, 0).path("version").asInt() == 3, "v3 applied");
        h.fleet.sendVersion("d-00", job, new FakeFleet.Reply(JobExecutionState.IN_PROGRESS, JobStep.DOWNLOADING, null), 2);
        h.fleet.sendVersion("d-00", job, new FakeFleet.Reply(JobExecutionState.QUEUED, null, null), 4);
        h.await(id, 20, r -> r.get("staleUpdates").asInt() == 2, "two refused updates");
        JsonNode e = h.executions(id).get(0);
        assertEquals("IN_PROGRESS", e.get("state").asText());
        assertEquals("INSTALLING", e.get("step").asText());
        assertEquals(3, e.get("version").asInt());
        h.fleet.sendVersion("d-00", job, new FakeFleet.Reply(JobExecutionState.SUCCEEDED, JobStep.ACTIVATING, null), 5);
        h.awaitState(id, "SUCCEEDED");
    }

    private static JsonNode execution(JsonNode rollout, RolloutHarness h, int i) {
        try {
            JsonNode e = h.executions(rollout.get("rolloutId").asText()).get(i);
            return e == null ? h.api.JSON.createObjectNode() : e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void wave1FailuresAbortAndTheRestIsNeverNotified() throws Exception {
        h.devices("lab", 10);
        h.fleet.defaultBehaviour = FakeFleet.FAIL_VALIDATION;
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "wavePercents", "20,100"));
        JsonNode r = h.awaitState(id, "ABORTED");
        // Both wave-1 documents go out in one tick, but on a loaded machine the second may reach its
        // device after the first failure has already aborted the rollout; it is then canceled.
        RolloutHarness.waitFor(20, () -> h.fleet.jobs.size() == 2, "both wave-1 devices notified");
        r = h.await(id, 20, x -> x.get("counts").get("FAILED").asInt() + x.get("counts").get("CANCELED").asInt() == 2,
                "both wave-1 executions ended");
        assertTrue(r.get("counts").get("FAILED").asInt() >= 1, r.get("counts").toString());
        assertTrue(r.get("endReason").asText().contains("abort criteria"), r.get("endReason").asText());
        assertEquals("VALIDATION_FAILED", h.executions(id).get(0).get("errorCode").asText());
        assertNotNull(r.get("haltedAt").textValue());
        Thread.sleep(500);
        assertEquals(2, h.fleet.jobs.size());
    }

    @Test
    void wave1SuccessThenAbortRollsWave1Back() throws Exception {
        h.devices("lab", 4);
        h.fleet.behaviours.put("d-01", FakeFleet.REJECT);
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "waves", List.of(Map.of("percent", 50, "abort", Map.of("failureType", "REJECTED", "thresholdPercent", 50,
                        "minExecuted", 2)), Map.of("percent", 100))));
        JsonNode r = h.awaitState(id, "ABORTED");
        assertEquals(2, h.fleet.jobs.size());
        assertEquals(1, h.fleet.commands(CommandName.ROLLBACK).size(), "the device that took the version rolls back");
        assertEquals("d-00", h.fleet.commands(CommandName.ROLLBACK).get(0).deviceId());
        assertEquals(1, r.get("counts").get("ROLLED_BACK").asInt());
        assertEquals(1, r.get("counts").get("REJECTED").asInt());
    }

    @Test
    void timedOutExecutionsAreRetriedWithANewJobAndNeverBlockTheWave() throws Exception {
        h.devices("lab", 2);
        h.fleet.behaviours.put("d-01", FakeFleet.SILENT);
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "retries", 1, "waves", List.of(Map.of("percent", 100, "successThreshold", 0.5,
                        "abort", Map.of("thresholdPercent", 60))),
                "timeouts", Map.of("inProgressSeconds", 60)));
        RolloutHarness.waitFor(20, () -> h.fleet.jobs.size() == 2, "both notified");
        h.await(id, 20, r -> r.get("counts").get("SUCCEEDED").asInt() == 1, "d-00 succeeded");
        h.clock.advance(Duration.ofSeconds(61));
        try {
            RolloutHarness.waitFor(20, () -> h.fleet.jobsOf("d-01").size() == 2, "the retry's job document");
        } catch (AssertionError e) {
            throw new AssertionError(h.executions(id).toPrettyString() + h.get(id).toPrettyString(), e);
        }
        assertEquals(id + "-2", h.fleet.jobsOf("d-01").get(1).jobId());
        assertEquals(1, h.fleet.commands(CommandName.CANCEL).size(), "the timed-out job is canceled on the device");
        assertEquals(ErrorCode.JOB_TIMED_OUT.name(), h.fleet.commands(CommandName.CANCEL).get(0).args().get("reason"));
        h.clock.advance(Duration.ofSeconds(61));
        JsonNode r = h.awaitState(id, "SUCCEEDED");
        JsonNode silent = h.executions(id).get(1);
        assertEquals("TIMED_OUT", silent.get("state").asText());
        assertEquals(2, silent.get("attempt").asInt());
        assertEquals(1, r.get("retries").asInt());
    }

    @Test
    void stepTimeoutAndSilentDevice() throws Exception {
        h.devices("lab", 2);
        h.fleet.behaviours.put("d-00", job -> List.of(new FakeFleet.Reply(JobExecutionState.IN_PROGRESS,
                JobStep.DOWNLOADING, null)));
        h.fleet.behaviours.put("d-01", FakeFleet.SILENT);
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "waves", List.of(Map.of("percent", 100, "successThreshold", 0.0,
                        "abort", Map.of("thresholdPercent", 100, "minExecuted", 5))),
                "timeouts", Map.of("inProgressSeconds", 3600, "stepSeconds", 30, "livenessSeconds", 20)));
        h.await(id, 20, r -> execution(r, h, 0).path("state").asText().equals("IN_PROGRESS"), "d-00 downloading");
        h.clock.advance(Duration.ofSeconds(25));
        JsonNode r = h.await(id, 20, x -> x.get("counts").get("FAILED").asInt() == 2, "both failed silent");
        for (JsonNode e : h.executions(id)) {
            assertEquals(ErrorCode.DEVICE_SILENT.name(), e.get("errorCode").asText(), e.toString());
        }
        h.awaitState(id, "SUCCEEDED");
        assertEquals(0, r.get("counts").get("IN_PROGRESS").asInt());
    }

    @Test
    void aStepThatTakesTooLongTimesOut() throws Exception {
        h.devices("lab", 1);
        h.fleet.defaultBehaviour = job -> List.of(new FakeFleet.Reply(JobExecutionState.IN_PROGRESS, JobStep.DOWNLOADING,
                null));
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "timeouts", Map.of("inProgressSeconds", 3600, "stepSeconds", 30)));
        h.await(id, 20, r -> execution(r, h, 0).path("step").asText().equals("DOWNLOADING"), "downloading");
        h.clock.advance(Duration.ofSeconds(20));
        Thread.sleep(300);
        assertEquals("IN_PROGRESS", h.executions(id).get(0).get("state").asText(), "within its step time");
        h.clock.advance(Duration.ofSeconds(11));
        JsonNode r = h.awaitState(id, "ABORTED");
        JsonNode e = h.executions(id).get(0);
        assertEquals("TIMED_OUT", e.get("state").asText());
        assertEquals("JOB_TIMED_OUT", e.get("errorCode").asText());
        assertEquals(1, r.get("counts").get("TIMED_OUT").asInt());
        assertEquals(1, h.fleet.commands(CommandName.CANCEL).size());
    }

    @Test
    void aNewerRolloutOfTheModelSupersedesTheOlderOnesPendingExecutions() throws Exception {
        h.devices("lab", 3);
        h.fleet.defaultBehaviour = FakeFleet.SILENT;
        String old = h.create(Map.of("package", "classifier:1.0.0", "target", Map.of("group", "lab")));
        RolloutHarness.waitFor(20, () -> h.fleet.jobs.size() == 3, "old notified");
        h.fleet.defaultBehaviour = FakeFleet.SUCCEED;
        String fresh = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab")));
        JsonNode superseded = h.awaitState(old, "CANCELED");
        assertTrue(superseded.get("endReason").asText().contains(fresh), superseded.get("endReason").asText());
        h.awaitState(fresh, "SUCCEEDED");
        assertEquals(3, h.fleet.commands(CommandName.CANCEL).size());
        h.fleet.commands(CommandName.CANCEL).forEach(c -> assertEquals("JOB_SUPERSEDED", c.args().get("reason")));
        for (JsonNode e : h.executions(old)) {
            assertEquals("CANCELED", e.get("state").asText());
            assertEquals("JOB_SUPERSEDED", e.get("errorCode").asText());
        }
    }

    @Test
    void aDeviceHoldsOneLiveExecutionPerModelAndHigherPriorityGoesFirst() throws Exception {
        h.devices("lab", 2);
        h.fleet.defaultBehaviour = FakeFleet.SILENT;
        String high = h.create(Map.of("package", "classifier:1.0.0", "target", Map.of("group", "lab"), "priority", 5));
        RolloutHarness.waitFor(20, () -> h.fleet.jobs.size() == 2, "high notified");
        // Lower priority and newer: it does not supersede, it waits per device.
        String low = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"), "priority", 1));
        h.await(low, 20, r -> r.get("state").asText().equals("RUNNING"), "low running");
        Thread.sleep(600);
        assertEquals(2, h.fleet.jobs.size(), "no second live execution of the model on a device");
        assertEquals("RUNNING", h.get(high).get("state").asText());
        JobDocument job = h.fleet.jobsOf("d-00").get(0);
        h.fleet.send("d-00", job.jobId(), FakeFleet.SUCCEED.answer(job));
        RolloutHarness.waitFor(20, () -> h.fleet.jobsOf("d-00").size() == 2, "d-00 free for the low rollout");
        assertEquals(low, h.fleet.jobsOf("d-00").get(1).rolloutId());
        assertEquals(1, h.fleet.jobsOf("d-01").size());
    }

    @Test
    void approvalIsForAdminsAndPauseStopsNotifications() throws Exception {
        h.devices("lab", 4);
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "requiresApproval", true, "wavePercents", "50,100"));
        assertEquals("AWAITING_APPROVAL", h.get(id).get("state").asText());
        ApiClient.Reply denied = h.api.post("/api/v1/rollouts/" + id + "/approve", h.operator, Map.of());
        assertEquals(403, denied.status());
        Thread.sleep(300);
        assertEquals(0, h.fleet.jobs.size());
        ApiClient.Reply conflict = h.api.post("/api/v1/rollouts/" + id + "/resume", h.operator, Map.of());
        assertEquals(409, conflict.status());
        assertEquals("ROLLOUT_STATE_CONFLICT", conflict.code());
        h.fleet.defaultBehaviour = FakeFleet.SILENT;
        assertEquals(200, h.api.post("/api/v1/rollouts/" + id + "/approve", h.admin, Map.of()).status());
        RolloutHarness.waitFor(20, () -> h.fleet.jobs.size() == 2, "wave 1 notified");
        assertEquals("PAUSED", h.api.post("/api/v1/rollouts/" + id + "/pause", h.operator, Map.of()).json()
                .get("state").asText());
        h.fleet.defaultBehaviour = FakeFleet.SUCCEED;
        for (JobDocument j : List.copyOf(h.fleet.jobs)) {
            h.fleet.send(j.deviceId(), j.jobId(), FakeFleet.SUCCEED.answer(j));
        }
        h.await(id, 20, r -> r.get("counts").get("SUCCEEDED").asInt() == 2, "wave 1 done while paused");
        Thread.sleep(500);
        assertEquals(2, h.fleet.jobs.size(), "paused: wave 2 not notified");
        assertEquals("RUNNING", h.api.post("/api/v1/rollouts/" + id + "/resume", h.operator, Map.of()).json()
                .get("state").asText());
        h.awaitState(id, "SUCCEEDED");
        assertEquals(4, h.fleet.jobs.size());
        JsonNode audit = h.api.get("/api/v1/audit?target=rollout:" + id, h.admin).json();
        Set<String> actions = new HashSet<>();
        audit.forEach(a -> actions.add(a.get("action").asText()));
        assertTrue(actions.containsAll(Set.of("rollout.approve", "rollout.pause", "rollout.resume")), actions.toString());
    }

    @Test
    void cancelStopsTheRolloutAndItsLiveExecutions() throws Exception {
        h.devices("lab", 2);
        h.fleet.defaultBehaviour = FakeFleet.SILENT;
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab")));
        RolloutHarness.waitFor(20, () -> h.fleet.jobs.size() == 2, "notified");
        ApiClient.Reply inUse = h.api.delete("/api/v1/packages/classifier/1.1.0", h.admin);
        assertEquals(409, inUse.status());
        assertTrue(inUse.body().contains(id), inUse.body());
        assertEquals("CANCELED", h.api.post("/api/v1/rollouts/" + id + "/cancel", h.operator, Map.of()).json()
                .get("state").asText());
        RolloutHarness.waitFor(20, () -> h.fleet.commands(CommandName.CANCEL).size() == 2, "cmd/cancel to both");
        assertEquals("JOB_CANCELED", h.fleet.commands(CommandName.CANCEL).get(0).args().get("reason"));
        assertEquals(409, h.api.post("/api/v1/rollouts/" + id + "/cancel", h.operator, Map.of()).status());
    }

    @Test
    void dynamicTargetsNotifyDevicesThatJoinLater() throws Exception {
        h.devices("lab", 2);
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"), "dynamic", true));
        h.await(id, 20, r -> r.get("counts").get("SUCCEEDED").asInt() == 2, "first two");
        h.device("late", "lab");
        h.await(id, 20, r -> r.get("counts").get("SUCCEEDED").asInt() == 3, "the late joiner");
        assertEquals("RUNNING", h.get(id).get("state").asText(), "a dynamic rollout keeps running");
        assertEquals(1, h.fleet.jobsOf("late").size());
    }

    @Test
    void maintenanceWindowAndStartTimeHoldNotifications() throws Exception {
        h.devices("lab", 1);
        // The clock is 10:00 UTC; the window opens at 11:00 for an hour.
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "maintenanceWindow", Map.of("cron", "0 11 * * *", "durationMinutes", 60)));
        h.await(id, 20, r -> r.get("state").asText().equals("RUNNING"), "running");
        Thread.sleep(400);
        assertEquals(0, h.fleet.jobs.size(), "window closed");
        h.clock.advance(Duration.ofMinutes(61));
        h.awaitState(id, "SUCCEEDED");
        String later = h.create(Map.of("package", "classifier:1.0.0", "target", Map.of("group", "lab"),
                "startAt", "2026-12-01T12:00:00Z"));
        Thread.sleep(400);
        assertEquals("SCHEDULED", h.get(later).get("state").asText());
        h.clock.advance(Duration.ofMinutes(60));
        h.awaitState(later, "SUCCEEDED");
    }

    @Test
    void anExponentialRatePacesNotificationsPerMinute() throws Exception {
        h.devices("lab", 7);
        h.fleet.defaultBehaviour = FakeFleet.SILENT;
        String id = h.create(Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                "rate", Map.of("basePerMinute", 2, "incrementFactor", 2.0, "raiseOnSucceeded", 2, "maxPerMinute", 4)));
        RolloutHarness.waitFor(20, () -> h.fleet.jobs.size() == 2, "the base rate's 2");
        Thread.sleep(500);
        assertEquals(2, h.fleet.jobs.size(), "2 a minute until 2 succeed");
        h.fleet.defaultBehaviour = FakeFleet.SUCCEED;
        for (JobDocument j : List.copyOf(h.fleet.jobs)) {
            h.fleet.send(j.deviceId(), j.jobId(), FakeFleet.SUCCEED.answer(j));
        }
        // 2 succeeded: one raise, 2 x 2 = 4 a minute (the max), 2 of them used in this minute already.
        RolloutHarness.waitFor(20, () -> h.fleet.jobs.size() == 4, "the raised rate's 2 more this minute");
        Thread.sleep(500);
        assertEquals(4, h.fleet.jobs.size(), "at most 4 in the minute");
        h.clock.advance(Duration.ofSeconds(61));
        h.awaitState(id, "SUCCEEDED");
        assertEquals(7, h.fleet.jobs.size());
    }

    @Test
    void badDefinitionsAreRefusedWithTheirCode() throws Exception {
        h.devices("lab", 1);
        Map<Map<String, ?>, String> cases = Map.of(
                Map.of("target", Map.of("group", "lab")), "INVALID_ARGUMENT",
                Map.of("package", "classifier", "target", Map.of("group", "lab")), "INVALID_ARGUMENT",
                Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"), "wavePercents", "50,20"), "INVALID_ARGUMENT",
                Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab", "tags", Map.of("a", "b"))), "INVALID_ARGUMENT",
                Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"), "retries", 11), "INVALID_ARGUMENT",
                Map.of("package", "classifier:1.1.0", "target", Map.of("group", "lab"),
                        "maintenanceWindow", Map.of("cron", "nope", "durationMinutes", 5)), "INVALID_ARGUMENT",
                Map.of("package", "classifier:9.9.9", "target", Map.of("group", "lab")), "PACKAGE_NOT_FOUND",
                Map.of("package", "classifier:1.1.0", "target", Map.of("devices", List.of("d-00", "ghost"))), "DEVICE_NOT_FOUND");
        for (Map.Entry<Map<String, ?>, String> c : cases.entrySet()) {
            ApiClient.Reply r = h.api.post("/api/v1/rollouts", h.operator, c.getKey());
            assertEquals(c.getValue(), r.code(), c.getKey() + " -> " + r.body());
            assertTrue(r.status() == 400 || r.status() == 404, r.body());
            assertTrue(r.json().has("error"));
        }
        assertEquals("ROLLOUT_NOT_FOUND", h.api.get("/api/v1/rollouts/r-nope", h.operator).code());
        assertEquals(404, h.api.get("/api/v1/rollouts/r-nope", h.operator).status());
        assertEquals(0, h.api.get("/api/v1/rollouts", h.operator).json().size());
        assertNull(null);
    }
}
