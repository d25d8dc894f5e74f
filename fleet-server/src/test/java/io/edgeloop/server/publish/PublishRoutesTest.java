package io.edgeloop.server.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.fixtures.ApiClient;
import io.edgeloop.server.registry.EvaluationGate;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.registry.ModelVersion;
import io.edgeloop.server.registry.ModelVersionRepository;
import io.edgeloop.server.tracking.RunRepository;
import io.edgeloop.server.training.CodeVersion;
import io.edgeloop.server.training.ModelArchitecture;
import io.edgeloop.server.training.TrainingFixtures;
import io.edgeloop.server.training.TrainingPipeline;
import io.edgeloop.server.training.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/v1/models/{name}/versions/{v}/package}: a real trained version is quantized,
 * measured, signed with the server's key and stored; the package verifies with that key, its
 * manifest names the run, dataset and parent; without --signing-key the server says so.
 */
class PublishRoutesTest {

    @Test
    void packagesARegisteredVersionSignedWithTheServerKey(@TempDir Path dir) throws Exception {
        TrainingFixtures.fashionTrain();
        KeyPairFiles.Paths keys = KeyPairFiles.generate(dir.resolve("keys"), "server");
        FleetServerOptions options = FleetServerOptions.embedded(dir.resolve("data"), 0, 0).withSigningKey(keys.privateKey());
        try (FleetServer server = FleetServer.start(options, FleetServer.Plugins.defaults())) {
            String token = Files.readString(dir.resolve("data").resolve("admin.token")).strip();
            ApiClient api = new ApiClient(server.httpPort());
            ModelVersion v1 = trainAndRegister(server, dir.resolve("run"));

            ApiClient.Reply made = api.post("/api/v1/models/fashion/versions/1/package", token, Map.of());
            assertEquals(201, made.status(), made.body());
            JsonNode p = made.json();
            assertEquals("fashion", p.get("name").asText());
            assertEquals("1.0.0", p.get("version").asText());
            assertEquals(64, p.get("sha256").asText().length());
            assertTrue(p.get("size").asLong() > 1000, made.body());
            assertEquals(v1.runId(), p.get("lineage").get("trainingRunId").asText());
            assertEquals(v1.datasetSha256(), p.get("lineage").get("datasetSha256").asText());
            assertTrue(p.get("lineage").get("parentVersion").isNull(), "v1 has no parent");
            assertEquals("fp32", p.get("variants").get(0).asText());

            JsonNode stored = api.get("/api/v1/packages/fashion/1.0.0", token).json();
            assertEquals(p.get("sha256").asText(), stored.get("sha256").asText());
            assertEquals(v1.runId(), stored.get("manifest").get("lineage").get("trainingRunId").asText());
            Path file = dir.resolve("data").resolve("packages").resolve("sha256")
                    .resolve(p.get("sha256").asText().substring(0, 2)).resolve(p.get("sha256").asText() + ".elpkg");
            VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS)
                    .verify(file, KeyPairFiles.loadPublic(keys.publicKey()));
            assertTrue(verified.manifest().baseline() != null, "the package carries a drift baseline");

            ApiClient.Reply again = api.post("/api/v1/models/fashion/versions/1/package", token, Map.of());
            assertEquals(409, again.status(), again.body());
            assertEquals("PACKAGE_ALREADY_EXISTS", again.code());
            ApiClient.Reply missing = api.post("/api/v1/models/fashion/versions/7/package", token, Map.of());
            assertEquals("MODEL_NOT_FOUND", missing.code(), missing.body());
            JsonNode audit = api.get("/api/v1/audit?target=model:fashion@1", token).json();
            assertEquals("model.package", audit.get(0).get("action").asText(), audit.toString());
        }
    }

    @Test
    void withoutASigningKeyTheServerSaysHowToGetOne(@TempDir Path dir) throws Exception {
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0), FleetServer.Plugins.defaults())) {
            String token = Files.readString(dir.resolve("admin.token")).strip();
            ApiClient.Reply r = new ApiClient(server.httpPort()).post("/api/v1/models/fashion/versions/1/package", token,
                    Map.of("packageVersion", "1.0.0"));
            assertEquals(409, r.status(), r.body());
            assertEquals("SIGNING_KEY_MISSING", r.code());
            assertTrue(r.json().get("error").asText().contains("--signing-key"), r.body());
        }
    }

    private static ModelVersion trainAndRegister(FleetServer server, Path out) throws Exception {
        RunRepository runs = new RunRepository(server.database());
        TrainingPipeline pipeline = new TrainingPipeline(DatasetLoader.fromEnvironment(), runs, CodeVersion.current(),
                new PrintStream(PrintStream.nullOutputStream()));
        TrainingRun run = pipeline.run(pipeline.begin("fashion-mnist:train[0:3000]", TrainingFixtures.quick(ModelArchitecture.MLP, 1)),
                "fashion-mnist:train[0:3000]", TrainingFixtures.fashionSubset(3000, 1000, 1),
                TrainingFixtures.quick(ModelArchitecture.MLP, 1), out);
        ModelRegistry registry = new ModelRegistry(new ModelVersionRepository(server.database()),
                new EvaluationGate(EvaluationGate.Options.defaults(), new OnnxHoldoutEvaluator()));
        return registry.register("fashion", runs.get(run.id()));
    }
}
