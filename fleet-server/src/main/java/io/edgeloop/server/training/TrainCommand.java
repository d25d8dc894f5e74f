package io.edgeloop.server.training;

import io.edgeloop.server.datasets.StoredDatasets;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.datasets.DatasetStore;
import io.edgeloop.server.datasets.PiiKeyFile;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.tracking.RunRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop train}: trains a model on a dataset, writes {@code model.onnx},
 * {@code metrics.json}, {@code run.json} and {@code training-curve.png} to {@code --out}, and
 * records the run in the server's database under {@code --data-dir}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model (DJL/PyTorch) and export it to ONNX with metrics and a run record.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true,
            description = "fashion-mnist, csv:PATH?label=COLUMN[&pii=COL:drop|hash,…][&…], or dataset:NAME"
                    + " (imported into the server of --data-dir; see README).")
    String dataset;

    @Option(names = "--model", defaultValue = "mlp", description = "logreg, mlp or cnn (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", description = "Folder for model.onnx, metrics.json, run.json (required unless --folds).")
    Path out;

    @Option(names = "--epochs", description = "Maximum epochs (default: " + TrainingOptions.DEFAULT_EPOCHS + ").")
    int epochs = TrainingOptions.DEFAULT_EPOCHS;

    @Option(names = "--hidden", split = ",", description = "MLP hidden layer widths (default: 256,128).")
    List<Integer> hidden = TrainingOptions.DEFAULT_HIDDEN_LAYERS;

    @Option(names = "--optimizer", description = "adam or sgd (default: adam).")
    String optimizer = TrainingOptions.DEFAULT_OPTIMIZER;

    @Option(names = "--lr", description = "Learning rate (default: 0.001).")
    double learningRate = TrainingOptions.DEFAULT_LEARNING_RATE;

    @Option(names = "--schedule", description = "Learning rate schedule: cosine (decays to 0 over the run) or fixed "
            + "(default: " + TrainingOptions.DEFAULT_SCHEDULE + ").")
    String schedule = TrainingOptions.DEFAULT_SCHEDULE;

    @Option(names = "--batch-size", description = "Batch size (default: 128).")
    int batchSize = TrainingOptions.DEFAULT_BATCH_SIZE;

    @Option(names = "--seed", description = "Random seed (default: 42).")
    long seed = TrainingOptions.DEFAULT_SEED;

    @Option(names = "--threads", description = "PyTorch threads (default: 2).")
    int threads = TrainingOptions.DEFAULT_THREADS;

    @Option(names = "--patience", description = "Early stopping patience in epochs, 0 = off (default: 2).")
    int patience = TrainingOptions.DEFAULT_PATIENCE;

    @Option(names = "--validation-fraction", description = "Share of training data for validation (default: 0.1).")
    double validationFraction = TrainingOptions.DEFAULT_VALIDATION_FRACTION;

    @Option(names = "--device", description = "auto, cpu or gpu (default: auto).")
    String device = TrainingOptions.DEFAULT_DEVICE;

    @Option(names = "--folds", description = "Run stratified k-fold cross-validation with K folds instead "
            + "(prints each fold's score and their mean; writes no model).")
    int folds;

    @Option(names = "--data-dir", description = "Server data folder holding the run database (default: ${DEFAULT-VALUE}).")
    Path dataDir = Database.DEFAULT_DATA_DIR;

    @Override
    public Integer call() throws Exception {
        TrainingOptions options;
        try {
            options = new TrainingOptions(ModelArchitecture.parse(model), hidden, optimizer, learningRate, schedule, batchSize,
                    epochs, seed, threads, patience, validationFraction, device);
        } catch (IllegalArgumentException e) {
            System.err.println("edgeloop train: " + e.getMessage());
            return 2;
        }
        String spec = dataset.equals("fashion-mnist") ? "fashion-mnist:train" : dataset;
        if (folds > 0) {
            try {
                System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                        new CrossValidation(options, System.err).run(DatasetLoader.fromEnvironment().load(spec), folds)));
                return 0;
            } catch (EdgeLoopException e) {
                System.err.println("edgeloop train: " + e.describe());
                return 1;
            } catch (IllegalArgumentException e) {
                System.err.println("edgeloop train: " + e.getMessage());
                return 2;
            }
        }
        if (out == null) {
            System.err.println("edgeloop train: --out DIR is required");
            return 2;
        }
        Files.createDirectories(out);
        Files.createDirectories(dataDir);
        try (Database db = Database.embedded(dataDir)) {
            // dataset:NAME is a dataset imported into the server of this data folder; a csv: spec's
            // hashed group column is hashed with that server's PII key, so both join alike.
            StoredDatasets datasets = new DatasetStore(db, new AuditLog(db, Clock.systemUTC()), dataDir.resolve("datasets"),
                    Clock.systemUTC());
            TrainingPipeline pipeline = new TrainingPipeline(DatasetLoader.fromEnvironment(), new RunRepository(db),
                    CodeVersion.current(), System.err, datasets, new PiiKeyFile(dataDir).lazyHasher());
            TrainingRun run = pipeline.run(spec, options, out);
            Map<String, Object> metrics = run.record().metrics();
            String quality = metrics.containsKey("r2")
                    ? String.format("mse %.4f, r2 %.4f", metrics.get("mse"), metrics.get("r2"))
                    : String.format("test_accuracy %.4f, f1_macro %s", run.testAccuracy(), metrics.get(TrainingReport.F1_MACRO));
            System.out.printf("run %s: %s, train_seconds %.1f%n  %s%n  %s%n  %s%n",
                    run.id(), quality, metrics.get(TrainingReport.TRAIN_SECONDS),
                    run.modelOnnx(), run.metricsJson(), run.runJson());
            System.err.printf("run %s written to %s%n", run.id(), out.toAbsolutePath());
            return 0;
        } catch (EdgeLoopException e) {
            System.err.println("edgeloop train: " + e.describe());
            return 1;
        }
    }
}
