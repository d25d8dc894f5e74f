package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.fleet.FleetClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Demo stage 2c: rolls v1's package out to every device in waves over MQTT ({@code POST
 * /api/v1/rollouts}): each wave soaks a few seconds under traffic behind the health gate (error
 * rate, p95, estimated accuracy, drift against the version the devices left; on a first install
 * there is none) and the devices check the candidate on the package's reference inputs before
 * they activate it. The retrained version goes out with the same definition.
 */
final class RolloutStage implements DemoStage {
    static final List<Integer> WAVES = List.of(20, 60, 100);
    static final int GATE_MIN_REQUESTS = 50;

    private final DemoSettings settings;

    RolloutStage(DemoSettings settings) {
        this.settings = settings;
    }

    @Override
    public String title() {
        return "roll v1 out in waves " + WAVES + " % with health gates, under inference traffic from the test set";
    }

    /** The rollout body without {@code package}: waves, gate, validation, timeouts (the retraining policy reuses it). */
    static Map<String, Object> definition(DemoSettings settings) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("target", Map.of("group", FleetStage.GROUP));
        d.put("waves", WAVES.stream().map(p -> Map.of("percent", p, "soakSeconds",
                p == 100 ? 0 : settings.soakSeconds())).toList());
        d.put("gate", Map.of("maxErrorRate", 0.02, "maxP95Ratio", 3.0, "maxAccuracyDrop", 0.05,
                "maxDriftIncrease", 0.5, "minRequests", GATE_MIN_REQUESTS));
        d.put("validation", Map.of("mode", "REFERENCE", "minAgreement", 0.95));
        d.put("timeouts", Map.of("inProgressSeconds", 300));
        return d;
    }

    @Override
    public void run(DemoContext context) throws Exception {
        FleetClient rest = context.get(DemoKeys.FLEET).rest();
        LoopRecord record = context.get(DemoKeys.RECORD);
        LoopRecord.Version v1 = record.version("v1");
        Map<String, Object> body = new LinkedHashMap<>(definition(settings));
        body.put("package", record.model + ":" + v1.packageVersion);
        JsonNode created = rest.post("/rollouts", body);
        String id = created.get("rolloutId").asText();
        context.out().printf("      rollout %s of %s:%s to group '%s' created%n", id, record.model, v1.packageVersion,
                FleetStage.GROUP);
        JsonNode done = RolloutWatch.follow(rest, id, v1, settings.stageTimeout(), context.out());
        if (!done.path("state").asText().equals("SUCCEEDED")) {
            throw new StageFailure("the rollout of v1 ended " + done.path("state").asText() + ": "
                    + done.path("endReason").asText());
        }
    }
}
