package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.fleet.FleetClient;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Demo stage 2b: v1 is quantized and packaged into a signed {@code .elpkg} and stored in the
 * server's package repository, where rollouts find it.
 * Interim: packs in the demo's process (PackageStage, the server's signing key) and uploads it
 * ({@code POST /api/v1/packages}) until the server's package endpoint exists.
 */
final class PublishStage implements DemoStage {
    static final DemoContext.Key<Path> V1_ONNX = new DemoContext.Key<>("v1 onnx", Path.class);

    private final Function<DemoContext.Key<Path>, PackageStage> packer;

    PublishStage(Function<DemoContext.Key<Path>, PackageStage> packer) {
        this.packer = packer;
    }

    @Override
    public String title() {
        return "quantize and package v1 (int8 where it pays, drift baseline, signed with the server's key)";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        FleetClient rest = context.get(DemoKeys.FLEET).rest();
        LoopRecord record = context.get(DemoKeys.RECORD);
        LoopRecord.Version v1 = record.version("v1");
        JsonNode run = rest.get("/training-runs/" + rest.get("/models/" + record.model + "/versions").get(0)
                .get("runId").asText());
        context.put(V1_ONNX, Path.of(run.get("artifacts").get("model.onnx").asText()));
        packer.apply(V1_ONNX).run(context);
        JsonNode stored = rest.upload("/packages", context.get(PackageStage.PACKAGE));
        v1.packageVersion = stored.get("version").asText();
        v1.packageBytes = stored.path("sizeBytes").asLong();
        context.out().printf("      stored in the server's repository: %s %s, %d bytes, sha256 %s%n",
                stored.get("name").asText(), v1.packageVersion, v1.packageBytes,
                stored.get("sha256").asText().substring(0, 12));
    }
}
