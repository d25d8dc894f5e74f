package io.edgeloop.server.training;

import io.edgeloop.server.datasets.StoredDatasets;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeloop.packager.data.CsvDatasetReader;
import io.edgeloop.packager.data.CsvSpec;
import io.edgeloop.packager.data.PiiHasher;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetDigest;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.data.DatasetSplits;
import io.edgeloop.packager.data.TabularData;
import io.edgeloop.packager.eval.ClassificationMetrics;
import io.edgeloop.packager.eval.RegressionMetrics;
import io.edgeloop.packager.export.DjlOnnxExporter;
import io.edgeloop.packager.export.ExportCheck;
import io.edgeloop.packager.export.FeatureScaling;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.tracking.EpochResult;
import io.edgeloop.server.tracking.RunRecord;
import io.edgeloop.server.tracking.RunRepository;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One training run end to end: load and split the dataset, learn the feature scaling on the
 * training split only, train, evaluate on the test split, export to ONNX (checked against DJL),
 * re-score the exported model with ONNX Runtime, write {@code model.onnx}, {@code metrics.json},
 * {@code run.json} and {@code training-curve.png}, and record the run in tracking.
 */
public final class TrainingPipeline {
    /** Validation rows used for the DJL-vs-ONNX export check. */
    public static final int EXPORT_CHECK_SAMPLES = 64;
    /** Share of a CSV dataset held out as its test split (Fashion-MNIST has its own). */
    public static final double CSV_TEST_FRACTION = 0.2;
    /** A dataset imported into the server: {@code dataset:NAME}. */
    public static final String STORED_PREFIX = "dataset:";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            ;

    private final DatasetLoader loader;
    private final RunRepository runs;
    private final String codeVersion;
    private final PrintStream progress;
    private final StoredDatasets datasets;
    private final PiiHasher piiHasher;

    /** {@code runs} may be null: the run is then only written to {@code run.json}. */
    public TrainingPipeline(DatasetLoader loader, RunRepository runs, String codeVersion, PrintStream progress) {
        this(loader, runs, codeVersion, progress, StoredDatasets.NONE, null);
    }

    /**
     * @param datasets  where {@code dataset:NAME} is found
     * @param piiHasher hashes a {@code csv:} spec's hashed group column (null: such a spec is refused)
     */
    public TrainingPipeline(DatasetLoader loader, RunRepository runs, String codeVersion, PrintStream progress,
                            StoredDatasets datasets, PiiHasher piiHasher) {
        this.loader = loader;
        this.runs = runs;
        this.codeVersion = codeVersion;
        this.progress = progress;
        this.datasets = datasets;
        this.piiHasher = piiHasher;
    }

    /** Allocates a run id and records the run as RUNNING, before any work (the REST API answers with it). */
    public String begin(String datasetSpec, TrainingOptions options) throws EdgeLoopException {
        if (datasetSpec.startsWith(STORED_PREFIX)) {
            datasets.csv(datasetSpec.substring(STORED_PREFIX.length())); // an unknown name is refused now, not in the run
        }
        String id = UUID.randomUUID().toString();
        if (runs != null) {
            runs.create(RunRecord.started(id, datasetSpec, parameters(options), codeVersion));
        }
        return id;
    }

    public TrainingRun run(String datasetSpec, TrainingOptions options, Path outDir) throws EdgeLoopException {
        return run(begin(datasetSpec, options), datasetSpec, options, outDir);
    }

    /** Runs the training of a run {@link #begin begun} earlier; the run is marked FAILED on error. */
    public TrainingRun run(String runId, String datasetSpec, TrainingOptions options, Path outDir)
            throws EdgeLoopException {
        return guarded(runId, datasetSpec, options, started -> {
            Prepared data = prepare(datasetSpec, options);
            return execute(runId, datasetSpec, data.split(), data.testGroups(), options, outDir, started);
        });
    }

    /** Trains on splits prepared by the caller (a subset, a k-fold part); {@code spec} names them in the record. */
    public TrainingRun run(String runId, String spec, DatasetSplits.Split split, TrainingOptions options, Path outDir)
            throws EdgeLoopException {
        return guarded(runId, spec, options, started -> execute(runId, spec, split, List.of(), options, outDir, started));
    }

    private interface Work {
        TrainingRun run(String started) throws EdgeLoopException;
    }

    private TrainingRun guarded(String runId, String spec, TrainingOptions options, Work work) throws EdgeLoopException {
        String started = Instant.now().toString();
        long start = System.nanoTime();
        try {
            return work.run(started);
        } catch (EdgeLoopException | RuntimeException e) {
            if (runs != null) {
                runs.finish(new RunRecord(runId, RunRecord.FAILED, spec, "", parameters(options), List.of(),
                        Map.of(), Map.of(), codeVersion, started, (System.nanoTime() - start) / 1e9,
                        e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            throw e;
        }
    }

    private TrainingRun execute(String runId, String spec, DatasetSplits.Split split, List<String> testGroups,
                                TrainingOptions options, Path outDir, String started) throws EdgeLoopException {
        long start = System.nanoTime();
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot create " + outDir + ": " + e.getMessage(), e);
        }
        String sha = DatasetDigest.sha256(split.train(), split.validation(), split.test());
        Dataset train = split.train();
        FeatureScaling scaling = train.featureNames().isEmpty()
                ? FeatureScaling.learnGlobal(train.features())
                : FeatureScaling.learnPerFeature(train.features(), train.width());
        progress.printf("run %s: %s, %d train / %d validation / %d test samples, %s%n", runId, spec, train.size(),
                split.validation().size(), split.test().size(), options.architecture().id());
        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, String> artifacts = new LinkedHashMap<>();
        List<EpochResult> epochs;
        Path onnx = outDir.resolve("model.onnx");
        long trainStart = System.nanoTime();
        try (TrainedNetwork network = new NetworkTrainer(options, progress)
                .train(scaled(train, scaling), scaled(split.validation(), scaling))) {
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
            epochs = network.epochs();
            Dataset test = scaled(split.test(), scaling);
            if (network.classifier()) {
                int[] truth = labels(test);
                metrics.putAll(TrainingReport.classification(
                        ClassificationMetrics.of(truth, DjlPredictions.classes(network.block(), test),
                                test.classNames().size()), test.classNames()));
            } else {
                metrics.putAll(TrainingReport.regression(
                        RegressionMetrics.of(test.targets(), DjlPredictions.values(network.block(), test))));
            }
            if (!train.featureNames().isEmpty()) {
                metrics.put("permutation_importance", TabularDiagnostics.permutationImportance(network.block(), test,
                        network.classifier(), options.seed()));
            }
            if (!testGroups.isEmpty() && network.classifier()) {
                metrics.put("fairness", TabularDiagnostics.fairness(labels(test),
                        DjlPredictions.classes(network.block(), test), testGroups));
            }
            metrics.put(TrainingReport.TRAIN_SECONDS, trainSeconds);
            metrics.put("epochs_run", epochs.size());
            Dataset checkRows = split.test().head(EXPORT_CHECK_SAMPLES);
            double diff = new DjlOnnxExporter(ExportCheck.defaults()).export(network.block(), scaling,
                    train.featureShape(), network.classifier(), checkRows.features(), onnx);
            metrics.put("export_max_abs_diff", diff);
        }
        if (split.test().isClassification()) {
            metrics.put(TrainingReport.ONNX_TEST_ACCURACY, new OnnxHoldoutEvaluator().evaluate(onnx, split.test()).accuracy());
        }
        artifacts.put("model.onnx", onnx.toAbsolutePath().toString());
        Path metricsJson = outDir.resolve("metrics.json");
        Path runJson = outDir.resolve("run.json");
        Path curve = outDir.resolve("training-curve.png");
        artifacts.put("metrics.json", metricsJson.toAbsolutePath().toString());
        artifacts.put("run.json", runJson.toAbsolutePath().toString());
        artifacts.put("training-curve.png", curve.toAbsolutePath().toString());
        RunRecord record = new RunRecord(runId, RunRecord.SUCCEEDED, spec, sha, parameters(options), epochs, metrics,
                artifacts, codeVersion, started, (System.nanoTime() - start) / 1e9, null);
        try {
            JSON.writeValue(metricsJson.toFile(), metrics);
            JSON.writeValue(runJson.toFile(), record);
            new TrainingCurvePlot().write(epochs, options.architecture().id() + " on " + spec + " (run " + runId + ")", curve);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot write reports to " + outDir + ": " + e.getMessage(), e);
        }
        if (runs != null) {
            runs.finish(record);
        }
        return new TrainingRun(record, outDir, onnx, metricsJson, runJson);
    }

    /** The splits, and the group of each test row when a CSV spec names a group column. */
    private record Prepared(DatasetSplits.Split split, List<String> testGroups) {
    }

    /** Train / validation / test: Fashion-MNIST keeps its test set; CSV data is split three ways. */
    private Prepared prepare(String spec, TrainingOptions options) throws EdgeLoopException {
        if (spec.startsWith("fashion-mnist")) {
            Dataset all = loader.load("fashion-mnist:train");
            DatasetSplits.Split s = DatasetSplits.stratified(all, options.validationFraction(), 0, options.seed());
            return new Prepared(new DatasetSplits.Split(s.train(), s.validation(), loader.load("fashion-mnist:test")),
                    List.of());
        }
        if (spec.startsWith(STORED_PREFIX)) {
            return tabular(new CsvDatasetReader(PiiHasher.ALREADY_HASHED)
                    .read(datasets.csv(spec.substring(STORED_PREFIX.length()))), options);
        }
        if (spec.startsWith("csv:")) {
            return tabular(new CsvDatasetReader(piiHasher).read(CsvSpec.parse(spec)), options);
        }
        return new Prepared(DatasetSplits.stratified(loader.load(spec), options.validationFraction(), CSV_TEST_FRACTION,
                options.seed()), List.of());
    }

    /** CSV data split three ways, with the group of each test row. */
    private Prepared tabular(TabularData data, TrainingOptions options) {
        progress.println("data quality: " + data.report());
        Dataset d = data.dataset();
        int[][] rows = DatasetSplits.stratifiedRows(d, options.validationFraction(), CSV_TEST_FRACTION, options.seed());
        List<String> groups = new ArrayList<>();
        if (data.hasGroups()) {
            for (int r : rows[2]) {
                groups.add(data.groups().get(r));
            }
        }
        return new Prepared(new DatasetSplits.Split(d.select(rows[0], d.name() + "#train"),
                d.select(rows[1], d.name() + "#validation"), d.select(rows[2], d.name() + "#test")), groups);
    }

    static Dataset scaled(Dataset d, FeatureScaling scaling) {
        return new Dataset(d.name(), scaling.apply(d.features(), d.width()), d.featureShape(), d.targets(),
                d.classNames(), d.featureNames());
    }

    static int[] labels(Dataset d) {
        int[] out = new int[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.label(i);
        }
        return out;
    }

    public static Map<String, Object> parameters(TrainingOptions o) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", o.architecture().id());
        p.put("hidden_layers", o.hiddenLayers());
        p.put("optimizer", o.optimizer());
        p.put("learning_rate", o.learningRate());
        p.put("schedule", o.schedule());
        p.put("batch_size", o.batchSize());
        p.put("epochs", o.epochs());
        p.put("seed", o.seed());
        p.put("threads", o.threads());
        p.put("patience", o.patience());
        p.put("validation_fraction", o.validationFraction());
        p.put("device", o.device());
        return p;
    }
}
