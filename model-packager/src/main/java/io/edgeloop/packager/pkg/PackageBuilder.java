package io.edgeloop.packager.pkg;

import io.edgeloop.packageformat.FileEntry;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.MetricsSummary;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.Preprocessing;
import io.edgeloop.packageformat.ReferenceSet;
import io.edgeloop.packageformat.Sha256;
import io.edgeloop.packageformat.TensorSpec;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VariantConstraints;
import io.edgeloop.packageformat.VariantMetrics;
import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.InputSummary;
import io.edgeloop.packageformat.baseline.OutputBaseline;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.baseline.BaselineBuilder;
import io.edgeloop.packager.baseline.ShiftCalibrator;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetDigest;
import io.edgeloop.packager.onnx.InputShapes;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.packager.onnx.TensorInfo;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code pack} pipeline after quantization: runs every variant over the reference data in
 * ONNX Runtime, records what each measured, builds the drift baseline from the fp32 outputs,
 * keeps a few reference inputs with the fp32 answers ({@link ReferenceSet}, for validation on
 * the device) and writes the signed package. The model's outputs are kept as they are; the baseline records
 * which output holds the class scores and whether they are logits or probabilities (see
 * {@link ClassScores}), so the device turns them into probabilities exactly as the baseline did.
 */
public final class PackageBuilder {

    /**
     * @param accuracyTolerance how much accuracy a faster variant may lose and still be recommended
     * @param batchSize         samples per inference call when evaluating
     * @param latencyRuns       timed single-sample calls per variant
     * @param intraOpThreads    ONNX Runtime threads while measuring
     */
    public record Options(double accuracyTolerance, int batchSize, int latencyRuns, int intraOpThreads) {
        public static final double DEFAULT_ACCURACY_TOLERANCE = 0.01;
        public static final Options DEFAULTS = new Options(DEFAULT_ACCURACY_TOLERANCE,
                VariantEvaluator.Options.DEFAULT_BATCH_SIZE, VariantEvaluator.Options.DEFAULT_LATENCY_RUNS, 1);

        public Options {
            if (accuracyTolerance < 0 || batchSize < 1 || latencyRuns < 1 || intraOpThreads < 1) {
                throw new IllegalArgumentException("package builder options must be positive");
            }
        }
    }

    /** One variant to package: its model and the device profiles it suits. */
    public record VariantSource(String id, String precision, OnnxModel model, VariantConstraints constraints) {
        public VariantSource {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * What to package. The first variant is the reference (fp32) the others are compared with
     * and the baseline is computed from.
     *
     * @param referenceInputs samples of {@code reference} the package carries as its
     *                        {@link ReferenceSet} with the first variant's top-1 answers; 0 = none
     */
    public record Request(String name, String version, List<VariantSource> variants, Dataset reference,
                          Preprocessing preprocessing, Lineage lineage, int referenceInputs) {
        /** Reference inputs a package carries unless asked otherwise. */
        public static final int DEFAULT_REFERENCE_INPUTS = 64;

        public Request {
            variants = List.copyOf(variants);
            if (variants.isEmpty()) {
                throw new IllegalArgumentException("a package needs at least one variant");
            }
            if (!reference.isClassification() || reference.size() == 0) {
                throw new IllegalArgumentException("reference data must be a non-empty labelled classification set, not "
                        + reference.name());
            }
            if (referenceInputs < 0 || referenceInputs > ReferenceSet.MAX_COUNT) {
                throw new IllegalArgumentException("reference inputs must be 0.." + ReferenceSet.MAX_COUNT + ", not "
                        + referenceInputs);
            }
        }

        /** A request whose package carries {@link #DEFAULT_REFERENCE_INPUTS} reference inputs. */
        public Request(String name, String version, List<VariantSource> variants, Dataset reference,
                       Preprocessing preprocessing, Lineage lineage) {
            this(name, version, variants, reference, preprocessing, lineage, DEFAULT_REFERENCE_INPUTS);
        }
    }

    private final Options options;
    private final PackageWriter writer;
    private final PrintStream progress;

    public PackageBuilder(Options options, PackageWriter writer, PrintStream progress) {
        this.options = options;
        this.writer = writer;
        this.progress = progress;
    }

    /** Measures, writes the variant files beside {@code out}, and writes the signed package to {@code out}. */
    public Manifest build(Request request, ManifestSigner signer, Path out) throws EdgeLoopException {
        Dataset data = request.reference();
        int classes = data.classNames().size();
        VariantEvaluator evaluator = new VariantEvaluator(new VariantEvaluator.Options(options.batchSize(),
                options.latencyRuns(), VariantEvaluator.Options.DEFAULT_THROUGHPUT_NANOS,
                RunnerOptions.DEFAULT.withThreads(options.intraOpThreads())));
        Path staging = staging(out);
        try {
            List<Variant> variants = new ArrayList<>();
            List<FileEntry> files = new ArrayList<>();
            Map<String, Path> sources = new LinkedHashMap<>();
            VariantEvaluator.Evaluation reference = null;
            OnnxModel referenceModel = null;
            boolean probabilities = false;
            for (VariantSource source : request.variants()) {
                OnnxModel model = source.model();
                boolean scoresAreProbabilities = scoresAreProbabilities(model, data, classes);
                if (reference == null) {
                    probabilities = scoresAreProbabilities;
                }
                progress.printf("pack: evaluating %s on %d samples of %s%n", source.id(), data.size(), data.name());
                VariantEvaluator.Evaluation eval = evaluator.evaluate(model, data);
                if (reference == null) {
                    reference = eval;
                    referenceModel = model;
                }
                String file = source.id().equals("fp32") ? "model.onnx" : "model." + source.id() + ".onnx";
                Path path = staging.resolve(file);
                model.save(path);
                files.add(new FileEntry(file, model.sha256(), model.sizeBytes()));
                sources.put(file, path);
                variants.add(new Variant(source.id(), file, source.precision(), source.constraints(),
                        new VariantMetrics(eval.metrics().accuracy(), eval.metrics().f1Macro(),
                                eval == reference ? null : eval.agreementWith(reference),
                                eval.latencyUsP50(), eval.throughputPerS(), model.sizeBytes())));
                progress.printf("pack: %s accuracy %.4f, p50 %.0f us, %.0f samples/s, %d bytes%n", source.id(),
                        eval.metrics().accuracy(), eval.latencyUsP50(), eval.throughputPerS(), model.sizeBytes());
            }
            if (request.referenceInputs() > 0) {
                ReferenceSet set = referenceSet(referenceModel, data, reference.predicted(), request.referenceInputs());
                Path path = staging.resolve(ReferenceSet.ENTRY);
                byte[] bytes = set.toBytes();
                Files.write(path, bytes);
                files.add(new FileEntry(ReferenceSet.ENTRY, sha256(bytes), bytes.length));
                sources.put(ReferenceSet.ENTRY, path);
                progress.printf("pack: %d reference inputs with the %s model's top-1 answers (%d bytes)%n",
                        set.count(), request.variants().get(0).id(), bytes.length);
            }
            Lineage lineage = request.lineage();
            if (lineage.datasetSha256() == null) {
                // No training data named: record the data the variants were evaluated on, digested
                // as runs and gate decisions digest theirs, so the same data gives the same digest.
                lineage = new Lineage(lineage.trainingRunId(), DatasetDigest.sha256(data), lineage.parentVersion(),
                        lineage.createdBy());
            }
            Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, request.name(), request.version(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "onnx", files,
                    specs(referenceModel.inputs()), specs(referenceModel.outputs()), request.preprocessing(),
                    data.classNames(), variants,
                    new MetricsSummary(data.name(), data.size(), recommend(variants)), lineage,
                    shiftCorrected(baseline(data, reference.probabilities(), probabilities,
                            referenceModel.outputs().get(0).name()), referenceModel, data, probabilities));
            writer.write(out, manifest, sources, signer);
            progress.printf("pack: wrote %s (%d bytes, key %s)%n", out, Files.size(out), signer.keyId());
            return manifest;
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot stage package files for " + out + ": " + e.getMessage(), e);
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * {@code wanted} rows of the reference data, evenly spaced so that they span the whole set,
     * in the model's input layout, with the reference model's top-1 answers ({@code predicted}).
     * Fewer when the data is smaller, or when that many would not fit a reference file.
     */
    static ReferenceSet referenceSet(OnnxModel model, Dataset data, int[] predicted, int wanted)
            throws EdgeLoopException {
        int width = data.width();
        long[] batch = InputShapes.batchShape(model.inputs().get(0), 1, width);
        long[] sample = java.util.Arrays.copyOfRange(batch, 1, batch.length);
        int count = Math.min(Math.min(wanted, data.size()), ReferenceSet.maxCount(sample.length, width));
        if (count < 1) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "one sample of " + width
                    + " values is larger than a reference file may hold; pack with --reference-inputs 0");
        }
        float[] inputs = new float[count * width];
        int[] expected = new int[count];
        for (int i = 0; i < count; i++) {
            int row = (int) ((long) i * data.size() / count);
            data.copyRow(row, inputs, i * width);
            expected[i] = predicted[row];
        }
        return ReferenceSet.of(sample, data.classNames().size(), inputs, expected);
    }

    private static String sha256(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
    }

    /** Whether the model's first output already holds class probabilities (else logits). */
    private static boolean scoresAreProbabilities(OnnxModel model, Dataset data, int classes) throws EdgeLoopException {
        Dataset probe = data.head(16);
        float[] out;
        try (OrtRunner runner = new OrtRunner(model, RunnerOptions.DEFAULT)) {
            out = runner.runFlat(probe.features(), InputShapes.batchShape(model.inputs().get(0), probe.size(), probe.width()));
        }
        if (out.length != probe.size() * classes) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "the model's first output has " + out.length / probe.size()
                    + " values per sample, but " + data.name() + " has " + classes + " classes");
        }
        return ClassScores.looksLikeProbabilities(out, classes);
    }

    /** The fastest variant within the accuracy tolerance of the reference (first) variant. */
    private String recommend(List<Variant> variants) {
        double floor = variants.get(0).metrics().accuracy() - options.accuracyTolerance();
        Variant best = variants.get(0);
        for (Variant v : variants) {
            if (v.metrics().accuracy() >= floor && v.metrics().latencyUsP50() < best.metrics().latencyUsP50()) {
                best = v;
            }
        }
        return best.id();
    }

    /** Rows of the reference set the accuracy estimate's shift correction is fitted on, per corruption. */
    static final int SHIFT_CALIBRATION_ROWS = 2000;

    /** The baseline with its ATC estimate's shift correction, fitted on corrupted reference images (images only). */
    private DriftBaseline shiftCorrected(DriftBaseline baseline, OnnxModel model, Dataset data, boolean probabilities)
            throws EdgeLoopException {
        if (baseline.tabular() || baseline.outputs().calibration() == null) {
            return baseline;
        }
        progress.printf("pack: fitting the accuracy estimate's shift correction on corrupted reference images%n");
        int width = data.width();
        int classes = data.classNames().size();
        int batch = Math.max(1, options.batchSize());
        try (OrtRunner runner = new OrtRunner(model, RunnerOptions.DEFAULT.withThreads(options.intraOpThreads()))) {
            return ShiftCalibrator.withCorrection(baseline, data, (features, rows) -> {
                float[][] out = new float[rows][];
                for (int start = 0; start < rows; start += batch) {
                    int n = Math.min(batch, rows - start);
                    float[] chunk = java.util.Arrays.copyOfRange(features, start * width, (start + n) * width);
                    float[] scores = runner.runFlat(chunk, InputShapes.batchShape(model.inputs().get(0), n, width));
                    for (int r = 0; r < n; r++) {
                        float[] row = java.util.Arrays.copyOfRange(scores, r * classes, (r + 1) * classes);
                        out[start + r] = probabilities ? row : ClassScores.softmax(row, classes);
                    }
                }
                return out;
            }, SHIFT_CALIBRATION_ROWS, 17);
        }
    }

    private static DriftBaseline baseline(Dataset data, float[][] scores, boolean probabilities, String scoreOutput) {
        BaselineBuilder builder = new BaselineBuilder(InputSummary.forInput(data.featureNames()), data.classNames(),
                BaselineBuilder.DEFAULT_BINS);
        int width = data.width();
        for (int i = 0; i < data.size(); i++) {
            float[] p = probabilities ? scores[i] : ClassScores.softmax(scores[i], scores[i].length);
            builder.add(data.features(), i * width, width, p, data.label(i));
        }
        DriftBaseline built = builder.build();
        return built.withOutputs(built.outputs().withScores(scoreOutput,
                probabilities ? OutputBaseline.PROBABILITIES : OutputBaseline.LOGITS));
    }

    private static List<TensorSpec> specs(List<TensorInfo> infos) {
        return infos.stream().map(t -> new TensorSpec(t.name(), kserveType(t.dataType()), t.shape())).toList();
    }

    /** KServe v2 datatype names for ONNX element types. */
    static String kserveType(String onnxType) {
        return switch (onnxType) {
            case "FLOAT" -> "FP32";
            case "DOUBLE" -> "FP64";
            case "FLOAT16" -> "FP16";
            case "BOOL" -> "BOOL";
            case "STRING" -> "BYTES";
            default -> onnxType;
        };
    }

    private static Path staging(Path out) throws EdgeLoopException {
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, ".pack-");
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot create a staging folder beside " + out, e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Staging files are scratch; a leftover folder is harmless and named .pack-*.
        }
    }
}
