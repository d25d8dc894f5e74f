package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.bench.fleet.FleetRest;
import io.edgeloop.bench.fleet.RolloutPackages;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A candidate that fails validation on the device: fashion 1.1.0 whose reference answers are all
 * one class off, rolled out in 3 waves (10, 50, 100 %) with REFERENCE validation (64 samples, 95 %
 * agreement) to 20 simulated agents serving 1.0.0. A device of wave 1 (2 of 20) installs it, agrees
 * on none of the 64 inputs and fails VALIDATION_FAILED; wave 1 aborts and rolls back (its other
 * device is canceled or rolled back, wherever it was), the other 18 are never notified (the
 * server says so, and so do their agents), and all 20 still serve 1.0.0.
 */
class RolloutValidationIT {
    static final int AGENTS = 20;
    @TempDir
    Path dir;

    @Test
    void aCandidateFailingReferenceValidationAbortsWaveOneAndNobodyElseHearsOfIt() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path v100 = RolloutPackages.mlp(dir.resolve("pkg"), "1.0.0", 1, keys);
        Path wrong = RolloutPackages.withWrongReferenceAnswers(RolloutPackages.mlp(dir.resolve("src"), "1.1.0", 2, keys),
                dir.resolve("pkg").resolve("fashion-1.1.0-wrong.elpkg"), keys);
        try (RolloutFleet fleet = RolloutFleet.start(dir, null, RolloutFleet.Spec.of(AGENTS, 0, keys.publicKey(), v100))) {
            fleet.rest.upload(wrong);
            ObjectNode body = FleetRest.rollout(RolloutPackages.MODEL + ":1.1.0", RolloutFleet.GROUP, 10, 50, 100);
            body.putObject("validation").put("mode", "REFERENCE").put("samples", 64).put("minAgreement", 0.95);
            long t0 = System.nanoTime();
            String id = fleet.rest.createRollout(body);
            JsonNode done = fleet.rest.awaitFinal(id, 180);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String state = done.path("state").asText();
            assertTrue(List.of("ABORTED", "ROLLED_BACK").contains(state), done.toString());
            int wave1 = done.path("waves").path(0).path("targeted").asInt();
            assertEquals(2, wave1, done.toString());
            Map<String, JsonNode> executions = fleet.executionsByDevice(id);
            List<JsonNode> reached = executions.values().stream().filter(RolloutValidationIT::notified).toList();
            assertEquals(wave1, reached.size(), "only wave 1 heard of it: " + executions);
            for (JsonNode e : reached) {
                assertEquals(1, e.path("wave").asInt(), e.toString());
                // Failed validation, or stopped by the abort while it was still on its way (the abort cancels it).
                assertTrue(List.of("FAILED", "ROLLED_BACK", "CANCELED").contains(e.path("state").asText()), e.toString());
            }
            assertTrue(reached.stream().anyMatch(e -> e.path("errorCode").asText().equals("VALIDATION_FAILED")),
                    reached.toString());
            // Asked of the agents themselves: no job of this rollout ever reached one outside wave 1.
            for (JsonNode e : executions.values()) {
                if (!notified(e) && !e.path("jobId").asText("").isEmpty()) {
                    String device = e.path("deviceId").asText();
                    assertTrue(fleet.simulated.agent(device).jobs().state(e.path("jobId").asText()).isEmpty(),
                            device + " knows job " + e);
                }
            }
            FleetTelemetryIT.waitFor(30, () -> fleet.servedVersions(RolloutPackages.MODEL).equals(Map.of("1.0.0", AGENTS)),
                    () -> "served: " + fleet.servedVersions(RolloutPackages.MODEL));
            System.out.printf("validation: candidate with wrong reference answers: rollout %s after %.1f s; wave 1 (%d devices)"
                            + " executions %s; %d devices never notified; every agent serves 1.0.0%n", state, seconds, wave1,
                    FleetRest.byState(reached), AGENTS - reached.size());
        }
    }

    /** Whether the server published the job to the execution's device. */
    private static boolean notified(JsonNode execution) {
        return !execution.path("notifiedAt").isNull() && !execution.path("notifiedAt").asText("").isEmpty();
    }
}
