package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.fleet.FleetClient;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;

/**
 * Demo stage: waits for the server's retraining service, evaluating the policy on its own every few
 * seconds, to record a RETRAIN decision ({@code GET /api/v1/retraining/decisions?model=}), printing
 * each new WAIT with its reasons meanwhile (captures and labels still arriving); then prints the
 * decision's figures.
 */
final class DecisionStage implements DemoStage {
    private final DemoSettings settings;

    DecisionStage(DemoSettings settings) {
        this.settings = settings;
    }

    @Override
    public String title() {
        return "the server's retraining policy decides to retrain; the decision is recorded with its figures";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        FleetClient rest = context.get(DemoKeys.FLEET).rest();
        LoopRecord record = context.get(DemoKeys.RECORD);
        PrintStream out = context.out();
        String[] lastWait = {""};
        Waits.until(settings.stageTimeout(), "a RETRAIN decision of the server's retraining policy", () -> {
            JsonNode decisions = rest.get(FleetClient.query("/retraining/decisions", Map.of("model", record.model)));
            for (JsonNode d : decisions.isArray() ? decisions : decisions.path("items")) {
                if (d.path("action").asText().equals("RETRAIN") && !d.path("dryRun").asBoolean()) {
                    record.decision = d;
                    return true;
                }
            }
            JsonNode newest = (decisions.isArray() ? decisions : decisions.path("items")).path(0);
            String text = newest.isMissingNode() ? "" : describe(newest);
            if (!text.isEmpty() && !text.equals(lastWait[0])) {
                out.printf("      %s%n", text);
                lastWait[0] = text;
            }
            return false;
        });
        JsonNode d = record.decision;
        out.printf("      decision %s at %s: %s%n", d.path("id").asText(), d.path("at").asText(), describe(d));
        out.println("      figures:");
        for (Iterator<Map.Entry<String, JsonNode>> it = d.path("figures").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            out.printf("        %-26s %s%n", f.getKey(), f.getValue());
        }
        record.version("v2").gates.add("retraining decision " + d.path("id").asText() + ": RETRAIN ("
                + String.join("; ", reasons(d)) + ")");
    }

    /** One line: the action, the state and the reasons. */
    static String describe(JsonNode d) {
        return d.path("action").asText() + (d.path("dryRun").asBoolean() ? " (dry run)" : "") + " ["
                + d.path("state").asText("") + "]: " + String.join("; ", reasons(d));
    }

    private static java.util.List<String> reasons(JsonNode d) {
        java.util.List<String> out = new java.util.ArrayList<>();
        d.path("reasons").forEach(r -> out.add(r.asText()));
        return out;
    }
}
