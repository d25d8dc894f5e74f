package io.edgeloop.server.retraining;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * A recorded retraining decision and its progress, as {@code GET /api/v1/retraining/decisions/{id}}
 * answers it (Contract 3).
 */
public record StoredDecision(String id, String model, long decidedMillis, boolean dryRun, String action,
                             DecisionState state, String triggeredBy, List<String> reasons, List<String> blockers,
                             JsonNode figures, JsonNode policy, Integer productionVersion, String runId,
                             Integer candidateVersion, JsonNode gate, String packageName, String packageVersion,
                             String rolloutId, String progress, String error, long updatedMillis) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public StoredDecision {
        reasons = List.copyOf(reasons);
        blockers = List.copyOf(blockers);
    }

    public boolean retrain() {
        return "RETRAIN".equals(action);
    }

    public ObjectNode json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id).put("model", model).put("at", Instant.ofEpochMilli(decidedMillis).toString())
                .put("dryRun", dryRun).put("action", action).put("state", state.name()).put("triggeredBy", triggeredBy);
        reasons.forEach(o.putArray("reasons")::add);
        blockers.forEach(o.putArray("blockers")::add);
        o.set("figures", figures);
        if (productionVersion == null) {
            o.putNull("productionVersion");
        } else {
            o.put("productionVersion", productionVersion);
        }
        o.put("runId", runId);
        if (candidateVersion == null) {
            o.putNull("candidateVersion");
        } else {
            o.put("candidateVersion", candidateVersion);
        }
        o.set("gate", gate);
        if (packageName == null) {
            o.putNull("package");
        } else {
            o.put("package", packageName + ":" + packageVersion);
        }
        o.put("rolloutId", rolloutId).put("progress", progress).put("error", error)
                .put("updatedAt", Instant.ofEpochMilli(updatedMillis).toString());
        o.set("policy", policy);
        return o;
    }
}
