package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.fleet.FleetClient;

import java.io.PrintStream;
import java.util.Map;

/**
 * Demo stage 2a: v1 is trained on the fleet server over REST ({@code POST /api/v1/training-runs}:
 * an MLP on Fashion-MNIST with DJL/PyTorch, a few epochs), its run polled until it ends, then
 * registered in the model registry and promoted to production through the evaluation gate (the
 * first version: there is no production version to beat).
 */
final class TrainStage implements DemoStage {
    static final String MODEL = "fashion-classifier";
    static final String DATASET = "fashion-mnist:train";
    static final long SEED = 42;

    private final DemoSettings settings;

    TrainStage(DemoSettings settings) {
        this.settings = settings;
    }

    @Override
    public String title() {
        return "train v1 on the server (REST training run: DJL/PyTorch MLP, " + settings.epochs()
                + " epochs), register it, promote it through the gate";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        PrintStream out = context.out();
        FleetClient rest = context.get(DemoKeys.FLEET).rest();
        LoopRecord record = context.get(DemoKeys.RECORD);
        record.model = MODEL;
        JsonNode started = rest.post("/training-runs", Map.of("dataset", DATASET, "model", "mlp",
                "epochs", settings.epochs(), "seed", SEED));
        String runId = started.get("id").asText();
        out.printf("      training run %s started on the server (%s)%n", runId, DATASET);
        JsonNode run = awaitRun(rest, runId, out);
        out.printf("      run %s: test accuracy %.4f (ONNX Runtime %.4f) in %.0f s%n", runId,
                run.path("metrics").path("test_accuracy").asDouble(Double.NaN),
                run.path("metrics").path("onnx_test_accuracy").asDouble(Double.NaN), run.path("durationSeconds").asDouble());
        JsonNode registered = rest.post("/models/" + MODEL + "/versions", Map.of("runId", runId));
        int version = registered.get("version").asInt();
        JsonNode promoted = rest.post("/models/" + MODEL + "/versions/" + version + "/promote",
                Map.of("stage", "production"));
        JsonNode decision = promoted.get("decision");
        String gate = String.format("registry gate %s: %s", decision.path("passed").asBoolean() ? "PROMOTE" : "REFUSE",
                decision.path("reason").asText());
        out.printf("      registered %s v%d, promoted to %s; %s%n", MODEL, version,
                promoted.path("version").path("stage").asText(), gate);
        LoopRecord.Version v1 = record.version("v1");
        v1.registryVersion = version;
        v1.gates.add(gate);
    }

    /** Polls the run, printing each finished epoch, until it is no longer RUNNING; a failed run fails the stage. */
    static JsonNode awaitRun(FleetClient rest, String runId, PrintStream out) throws Exception {
        int printed = 0;
        while (true) {
            JsonNode run = rest.get("/training-runs/" + runId);
            JsonNode epochs = run.path("epochs");
            for (; printed < epochs.size(); printed++) {
                JsonNode e = epochs.get(printed);
                out.printf("      epoch %d: train loss %.4f, validation accuracy %.4f (%.0f s)%n", e.get("epoch").asInt(),
                        e.get("trainLoss").asDouble(), e.get("validationAccuracy").asDouble(), e.get("seconds").asDouble());
            }
            String status = run.path("status").asText();
            if (status.equals("SUCCEEDED")) {
                return run;
            }
            if (!status.equals("RUNNING")) {
                throw new StageFailure("training run " + runId + " ended " + status + ": " + run.path("error").asText());
            }
            Thread.sleep(1000);
        }
    }
}
