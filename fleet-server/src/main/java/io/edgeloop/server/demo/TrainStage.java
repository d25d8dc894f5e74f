package io.edgeloop.server.demo;

import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.registry.EvaluationGate;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.registry.ModelStage;
import io.edgeloop.server.registry.ModelVersion;
import io.edgeloop.server.registry.ModelVersionRepository;
import io.edgeloop.server.tracking.RunRepository;
import io.edgeloop.server.training.CodeVersion;
import io.edgeloop.server.training.ModelArchitecture;
import io.edgeloop.server.training.TrainingOptions;
import io.edgeloop.server.training.TrainingPipeline;
import io.edgeloop.server.training.TrainingRun;

import java.nio.file.Path;

/**
 * Demo stage: trains v1 of an MLP on Fashion-MNIST for a short run, records the run in an
 * embedded H2 database under the demo folder, registers v1 and promotes it through the gate
 * (there is no production version yet), and hands the exported ONNX model to later stages.
 */
public final class TrainStage implements DemoStage {
    public static final String MODEL_NAME = "fashion-mnist-mlp";
    public static final int DEMO_EPOCHS = 2;

    /** The exported, checked ONNX model of v1. */
    public static final DemoContext.Key<Path> MODEL_ONNX = new DemoContext.Key<>("train.model-onnx", Path.class);
    /** The tracked training run's id. */
    public static final DemoContext.Key<String> RUN_ID = new DemoContext.Key<>("train.run-id", String.class);
    /** Test accuracy of v1 on fashion-mnist:test. */
    public static final DemoContext.Key<Double> TEST_ACCURACY = new DemoContext.Key<>("train.test-accuracy", Double.class);
    /** The registered version (name, number, lineage). */
    public static final DemoContext.Key<ModelVersion> MODEL_VERSION = new DemoContext.Key<>("train.model-version",
            ModelVersion.class);
    /** The run and registry database (demo folder). */
    public static final DemoContext.Key<Path> DATA_DIR = new DemoContext.Key<>("train.data-dir", Path.class);

    @Override
    public String title() {
        return "train v1 on Fashion-MNIST (DJL/PyTorch MLP, " + DEMO_EPOCHS + " epochs), record the run, register v1";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        Path dataDir = context.workDir().resolve("server-data");
        Path out = context.workDir().resolve("train-v1");
        DatasetLoader loader = DatasetLoader.fromEnvironment();
        try (Database db = Database.embedded(dataDir)) {
            RunRepository runs = new RunRepository(db);
            TrainingPipeline pipeline = new TrainingPipeline(loader, runs, CodeVersion.current(), context.out());
            TrainingRun run = pipeline.run("fashion-mnist:train",
                    TrainingOptions.defaults(ModelArchitecture.MLP).withEpochs(DEMO_EPOCHS), out);
            ModelRegistry registry = new ModelRegistry(new ModelVersionRepository(db),
                    new EvaluationGate(EvaluationGate.Options.defaults(), new OnnxHoldoutEvaluator()));
            ModelVersion v1 = registry.register(MODEL_NAME, runs.get(run.id()));
            ModelVersion promoted = registry.promote(MODEL_NAME, v1.version(), ModelStage.PRODUCTION,
                    loader.load("fashion-mnist:test")).version();
            context.out().printf("      run %s: test accuracy %.4f, f1 macro %.4f, ONNX Runtime accuracy %.4f%n",
                    run.id(), run.testAccuracy(), run.record().metrics().get("f1_macro"),
                    run.record().metrics().get("onnx_test_accuracy"));
            context.out().printf("      registered %s v%d (%s), dataset sha256 %s%n", MODEL_NAME, promoted.version(),
                    promoted.stage().id(), promoted.datasetSha256().substring(0, 12));
            context.out().printf("      model %s%n", run.modelOnnx());
            context.put(MODEL_ONNX, run.modelOnnx());
            context.put(RUN_ID, run.id());
            context.put(TEST_ACCURACY, run.testAccuracy());
            context.put(MODEL_VERSION, promoted);
            context.put(DATA_DIR, dataDir);
        }
    }
}
