package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.fleet.FleetClient;

import java.util.Map;

/**
 * Demo stage 2b: the server quantizes and packages v1 ({@code POST
 * /api/v1/models/{name}/versions/{v}/package}: int8 where measurement says it pays, reference
 * inputs, drift baseline with its accuracy-estimate calibration, signed with the server's
 * {@code --signing-key}) and stores it in its package repository, where rollouts find it.
 */
final class PublishStage implements DemoStage {
    static final String V1_PACKAGE = "1.0.0";

    @Override
    public String title() {
        return "quantize and package v1 on the server (int8 where it pays, drift baseline, signed with the server's key)";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        FleetClient rest = context.get(DemoKeys.FLEET).rest();
        LoopRecord record = context.get(DemoKeys.RECORD);
        LoopRecord.Version v1 = record.version("v1");
        JsonNode stored = rest.post("/models/" + record.model + "/versions/" + v1.registryVersion + "/package",
                Map.of("packageVersion", V1_PACKAGE));
        v1.packageVersion = stored.get("version").asText();
        v1.packageBytes = stored.path("sizeBytes").asLong();
        context.out().printf("      stored %s:%s, %,d bytes, variants %s, sha256 %s, key %s; lineage: run %s%n",
                stored.get("name").asText(), v1.packageVersion, v1.packageBytes, stored.path("variants"),
                stored.get("sha256").asText().substring(0, 12), stored.path("keyId").asText(),
                stored.path("lineage").path("trainingRunId").asText());
    }
}
