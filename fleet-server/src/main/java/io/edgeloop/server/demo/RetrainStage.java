package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.fleet.FleetClient;

import java.io.PrintStream;
import java.util.Set;

/**
 * Demo stage: follows the RETRAIN decision through the server's retraining service ({@code GET
 * /api/v1/retraining/decisions/{id}}): training on the original set mixed with the labelled
 * captures of the drifted devices (its run's epochs as they finish), the evaluation gate of the
 * candidate against production on a drifted holdout of captures and on the clean test set, the
 * package, and the automatic rollout through the same waves and health gates as v1.
 */
final class RetrainStage implements DemoStage {
    private static final Set<String> ENDS = Set.of("DONE", "REJECTED", "FAILED");

    private final DemoSettings settings;

    RetrainStage(DemoSettings settings) {
        this.settings = settings;
    }

    @Override
    public String title() {
        return "retrain on captured data mixed with the original set; gate v2 against v1 on a drifted holdout;"
                + " package it; roll it out through the same gated rollout";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        FleetClient rest = context.get(DemoKeys.FLEET).rest();
        LoopRecord record = context.get(DemoKeys.RECORD);
        LoopRecord.Version v2 = record.version("v2");
        PrintStream out = context.out();
        String id = record.decision.path("id").asText();
        String state = "";
        boolean trained = false;
        long deadline = System.nanoTime() + settings.stageTimeout().toNanos() * 2;
        while (true) {
            JsonNode d = rest.get("/retraining/decisions/" + id);
            if (!d.path("state").asText().equals(state)) {
                state = d.path("state").asText();
                out.printf("      decision %s: %s%n", id, state);
            }
            if (!trained && !d.path("runId").asText("").isEmpty()) {
                out.printf("      training run %s on the server%n", d.path("runId").asText());
                JsonNode run = TrainStage.awaitRun(rest, d.path("runId").asText(), out);
                out.printf("      run %s: test accuracy %.4f in %.0f s%n", d.path("runId").asText(),
                        run.path("metrics").path("test_accuracy").asDouble(Double.NaN), run.path("durationSeconds").asDouble());
                trained = true;
                continue;
            }
            if (d.path("gate").isObject() && v2.gates.stream().noneMatch(g -> g.startsWith("evaluation gate"))) {
                v2.gates.add(gate(d.path("gate")));
                out.printf("      %s%n", v2.gates.get(v2.gates.size() - 1));
            }
            if (!d.path("rolloutId").asText("").isEmpty() && v2.rolloutId == null) {
                v2.registryVersion = d.path("candidateVersion").asInt();
                JsonNode pkg = d.path("package");
                v2.packageVersion = pkg.isObject() ? pkg.path("version").asText() : pkg.asText().substring(
                        pkg.asText().lastIndexOf(':') + 1);
                v2.packageBytes = rest.get("/packages/" + record.model + "/" + v2.packageVersion).path("sizeBytes").asLong();
                out.printf("      packaged %s:%s (%,d bytes); rollout %s%n", record.model, v2.packageVersion,
                        v2.packageBytes, d.path("rolloutId").asText());
                RolloutWatch.follow(rest, d.path("rolloutId").asText(), v2, settings.stageTimeout(), out);
                continue;
            }
            if (ENDS.contains(state)) {
                if (!state.equals("DONE")) {
                    throw new StageFailure("retraining decision " + id + " ended " + state + ": " + d.path("error").asText("")
                            + " " + DecisionStage.describe(d));
                }
                registryGate(rest, record.model, v2);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StageFailure("retraining decision " + id + " still " + state);
            }
            Thread.sleep(1000);
        }
    }

    /** The registry's own gate decision on promoting the candidate (GET /api/v1/models/{name}/gate-decisions). */
    private static void registryGate(FleetClient rest, String model, LoopRecord.Version v2) throws Exception {
        for (JsonNode g : rest.get("/models/" + model + "/gate-decisions")) {
            if (g.path("candidateVersion").asInt() == v2.registryVersion) {
                v2.gates.add("registry gate " + (g.path("passed").asBoolean() ? "PROMOTE" : "REFUSE") + ": "
                        + g.path("reason").asText());
            }
        }
    }

    private static String gate(JsonNode g) {
        return String.format("evaluation gate %s: drifted holdout candidate %.4f vs production %.4f; clean %.4f vs %.4f",
                g.path("passed").asBoolean() ? "PASS" : "REFUSE", g.path("drifted").path("candidate").asDouble(),
                g.path("drifted").path("production").asDouble(), g.path("clean").path("candidate").asDouble(),
                g.path("clean").path("production").asDouble());
    }
}
