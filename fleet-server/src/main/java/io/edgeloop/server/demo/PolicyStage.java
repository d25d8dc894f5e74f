package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.fleet.FleetClient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Demo stage: the operator sets the server's retraining policy for the model over REST ({@code PUT
 * /api/v1/retraining/policies/{model}}): retrain when at least {@link DemoSettings#shifted()}
 * devices show model drift (estimated accuracy down by 10 points, a drifted window), with enough
 * captures and labels; mix the labelled captures into the original training set; gate the
 * candidate against production on a drifted holdout and the clean test set; roll it out with the
 * same waves and health gates as v1. The server evaluates it on its own from then on; a dry run
 * now shows what it would do (wait: nothing has drifted).
 */
final class PolicyStage implements DemoStage {
    static final double MAX_ESTIMATED_ACCURACY_DROP = 0.10;
    static final double CAPTURED_FRACTION = 0.1;
    static final double HOLDOUT_FRACTION = 0.3;

    private final DemoSettings settings;

    PolicyStage(DemoSettings settings) {
        this.settings = settings;
    }

    @Override
    public String title() {
        return "set the server's retraining policy (REST); its dry run says what it would do now";
    }

    static Map<String, Object> policy(DemoSettings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("enabled", true);
        p.put("dryRun", false);
        p.put("minDriftedDevices", settings.shifted());
        p.put("minSamples", settings.minSamples());
        p.put("minLabels", settings.minLabels());
        p.put("signal", Map.of("lookback", "PT2M", "maxEstimatedAccuracyDrop", MAX_ESTIMATED_ACCURACY_DROP,
                "requireDriftedWindows", 1));
        p.put("cooldown", "PT30M");
        p.put("mix", Map.of("originalDataset", TrainStage.DATASET, "capturedFraction", CAPTURED_FRACTION,
                "holdoutFraction", HOLDOUT_FRACTION));
        p.put("training", Map.of("model", "mlp", "epochs", settings.epochs(), "seed", TrainStage.SEED));
        p.put("gate", Map.of("cleanDataset", "fashion-mnist:test", "maxCleanDrop", SummaryStage.MAX_CLEAN_DROP));
        p.put("rollout", RolloutStage.definition(settings));
        return p;
    }

    @Override
    public void run(DemoContext context) throws Exception {
        FleetClient rest = context.get(DemoKeys.FLEET).rest();
        String model = context.get(DemoKeys.RECORD).model;
        JsonNode stored = rest.put("/retraining/policies/" + model, policy(settings));
        context.out().printf("      policy for %s: %s%n", model, stored);
        JsonNode dry = rest.post("/retraining/" + model + "/evaluate?dryRun=true", Map.of());
        context.out().printf("      dry run: %s%n", DecisionStage.describe(dry));
    }
}
