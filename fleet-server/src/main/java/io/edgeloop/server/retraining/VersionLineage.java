package io.edgeloop.server.retraining;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.packages.PackageRepository;
import io.edgeloop.server.packages.StoredPackage;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.registry.ModelVersion;
import io.edgeloop.server.tracking.RunRecord;
import io.edgeloop.server.tracking.RunRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/v1/models/{name}/versions/{v}/lineage}: a registered version back to its
 * training run, its datasets (spec and sha256), the captures its training set used per device
 * (retrained versions), its parent version, the retraining decision that made it, its packages
 * (those whose manifest names its run) and their rollouts.
 */
public final class VersionLineage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelRegistry registry;
    private final RunRepository runs;
    private final RetrainingStore store;
    private final PackageRepository packages;

    public VersionLineage(ModelRegistry registry, RunRepository runs, RetrainingStore store, PackageRepository packages) {
        this.registry = registry;
        this.runs = runs;
        this.store = store;
        this.packages = packages;
    }

    public ObjectNode of(String model, int version) throws EdgeLoopException {
        ModelVersion v = registry.get(model, version);
        ObjectNode o = JSON.createObjectNode();
        o.put("model", model).put("version", version).put("stage", v.stage().id()).put("runId", v.runId())
                .put("datasetSha256", v.datasetSha256());
        if (v.parentVersion() == null) {
            o.putNull("parentVersion");
        } else {
            o.put("parentVersion", v.parentVersion());
        }
        Optional<RunRecord> run = runs.find(v.runId());
        ObjectNode r = o.putObject("run");
        r.put("id", v.runId());
        run.ifPresent(x -> r.put("status", x.status()).put("dataset", x.dataset()).put("datasetSha256", x.datasetSha256())
                .put("codeVersion", x.codeVersion()).set("metrics", JSON.valueToTree(x.metrics())));
        Optional<RetrainingStore.TrainingSet> set = store.db().transaction(c -> store.trainingSet(c, v.runId()));
        ArrayNode datasets = o.putArray("datasets");
        ArrayNode captures = o.putArray("captures");
        if (set.isPresent()) {
            set.get().datasets().path("datasets").forEach(datasets::add);
            o.put("trainingSetSha256", set.get().datasetSha256());
            o.set("mix", set.get().mix());
            o.put("decisionId", set.get().decisionId());
            for (RetrainingStore.CaptureUse u : set.get().captures()) {
                captures.add(JSON.valueToTree(u.json()));
            }
        } else if (run.isPresent()) {
            datasets.addObject().put("role", "training").put("spec", run.get().dataset())
                    .put("sha256", run.get().datasetSha256());
            o.putNull("decisionId");
        }
        ArrayNode pkgs = o.putArray("packages");
        ArrayNode rollouts = o.putArray("rollouts");
        for (StoredPackage p : packages.list()) {
            if (!p.name().equals(model)) {
                continue;
            }
            JsonNode lineage = packages.get(p.name(), p.version()).manifest().path("lineage");
            if (!v.runId().equals(lineage.path("trainingRunId").asText(null))) {
                continue;
            }
            ObjectNode po = pkgs.addObject();
            po.put("name", p.name()).put("version", p.version()).put("sha256", p.sha256()).put("size", p.sizeBytes())
                    .put("keyId", p.keyId()).put("uploadedAt", p.uploadedAt());
            po.set("lineage", lineage);
            List<Object[]> found = store.db().transaction(c -> store.rollouts(c, p.name(), p.version()));
            for (Object[] row : found) {
                rollouts.addObject().put("rolloutId", (String) row[0]).put("state", (String) row[1])
                        .put("package", p.name() + ":" + row[2])
                        .put("createdAt", Instant.ofEpochMilli((Long) row[3]).toString());
            }
        }
        return o;
    }
}
