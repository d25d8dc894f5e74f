package io.edgeloop.packager.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.ManifestJson;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.Preprocessing;
import io.edgeloop.packageformat.ReferenceSet;
import io.edgeloop.packageformat.TensorSpec;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VariantConstraints;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.pkg.CalibrationSplit;
import io.edgeloop.packager.pkg.Int8Quantizer;
import io.edgeloop.packager.pkg.PackageBuilder;
import io.edgeloop.packager.pkg.TorchScriptPackager;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop pack MODEL.onnx}: measures the model (and its int8 variant with
 * {@code --quantize int8}) on reference data, builds the drift baseline, keeps
 * {@code --reference-inputs} samples with the fp32 answers for validation on devices and writes a
 * signed {@code .elpkg}. Progress goes to stderr, the summary to stdout. {@code edgeloop pack MODEL.pt}
 * packs a TorchScript file as it is, with the tensors given by {@code --input}/{@code --output}
 * (see {@link TorchScriptPackager}).
 */
@Command(name = "pack",
        description = "Build a signed .elpkg package from an ONNX model, optionally with an int8 variant,"
                + " or from a TorchScript .pt file with declared --input/--output tensors.")
final class PackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(paramLabel = "MODEL", description = "The fp32 ONNX model, or a TorchScript file (.pt).")
    Path model;

    @Option(names = "--name", required = true, description = "Model name (lower-case letters, digits, '.', '_', '-').")
    String name;

    @Option(names = "--version", required = true, description = "Semantic version, e.g. 1.0.0.")
    String version;

    @Option(names = "--key", required = true, paramLabel = "NAME.key", description = "Ed25519 private key from 'edgeloop keygen'.")
    Path key;

    @Option(names = "--out", description = "Package file (default: NAME-VERSION.elpkg).")
    Path out;

    @Option(names = "--quantize", paramLabel = "int8", description = "Add a quantized variant; only int8 is supported.")
    String quantize;

    @Option(names = "--int8-recipe", paramLabel = "planned|dense", description = "planned: the quantization planner"
            + " measures candidate plans on this host and adds int8 only if one is faster within its bounds;"
            + " dense: always add static int8 on the dense layers (default: ${DEFAULT-VALUE}).")
    String int8Recipe = "planned";

    @Option(names = "--calibration", paramLabel = "DATASET", description = "Calibration data for --quantize (default: ${DEFAULT-VALUE}).")
    String calibration = "fashion-mnist:train";

    @Option(names = "--calibration-samples", description = "Calibration samples used (default: ${DEFAULT-VALUE}).")
    int calibrationSamples = 500;

    @Option(names = "--validation-samples",
            description = "Samples after the calibration ones on which the planner judges int8 (default: ${DEFAULT-VALUE}).")
    int validationSamples = 2000;

    @Option(names = "--reference", paramLabel = "DATASET",
            description = "Labelled data for metrics and the drift baseline (default: ${DEFAULT-VALUE}).")
    String reference = "fashion-mnist:test";

    @Option(names = "--reference-samples", description = "Reference samples used (default: ${DEFAULT-VALUE}).")
    int referenceSamples = 2000;

    @Option(names = "--reference-inputs", paramLabel = "N", description = "Samples of the reference data the"
            + " package carries with the fp32 model's top-1 answers, for validation on the device; 0 = none"
            + " (default: ${DEFAULT-VALUE}).")
    int referenceInputs = PackageBuilder.Request.DEFAULT_REFERENCE_INPUTS;

    @Option(names = "--training-run", description = "Lineage: the training run that produced the model.")
    String trainingRun;

    @Option(names = "--parent-version", description = "Lineage: the version this one replaces.")
    String parentVersion;

    @Option(names = "--input", paramLabel = "NAME:TYPE:DIMS", description = "TorchScript only, once per input in"
            + " forward() order: e.g. features:FP32:-1,6 (-1 = any size).")
    List<String> torchInputs = new ArrayList<>();

    @Option(names = "--output", paramLabel = "NAME:TYPE:DIMS", description = "TorchScript only, once per output in order.")
    List<String> torchOutputs = new ArrayList<>();

    @Option(names = "--labels", split = ",", paramLabel = "A,B,...", description = "TorchScript only: class labels in"
            + " output order (ONNX packages take them from --reference).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    private final Int8Quantizer planned;
    private final Int8Quantizer dense;
    private final DatasetLoader datasets;

    PackCommand(Int8Quantizer planned, Int8Quantizer dense, DatasetLoader datasets) {
        this.planned = planned;
        this.dense = dense;
        this.datasets = datasets;
    }

    @Override
    public Integer call() throws Exception {
        if (!Manifest.isSemanticVersion(version)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--version '" + version + "' is not a semantic version like 1.0.0");
        }
        if (quantize != null && !quantize.equals("int8")) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--quantize supports int8, not '" + quantize + "'");
        }
        if (!int8Recipe.equals("planned") && !int8Recipe.equals("dense")) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--int8-recipe is planned or dense, not '" + int8Recipe + "'");
        }
        if (referenceInputs < 0 || referenceInputs > ReferenceSet.MAX_COUNT) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--reference-inputs must be 0.."
                    + ReferenceSet.MAX_COUNT + ", not " + referenceInputs);
        }
        Path target = out != null ? out : Path.of(name + "-" + version + ".elpkg");
        ManifestSigner signer = new ManifestSigner(KeyPairFiles.loadPair(key));
        if (model.getFileName().toString().endsWith(".pt")) {
            return packTorchScript(target, signer);
        }
        if (!torchInputs.isEmpty() || !torchOutputs.isEmpty() || !labels.isEmpty()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--input, --output and --labels are for TorchScript (.pt)"
                    + " files; an ONNX model declares its own tensors");
        }
        OnnxModel fp32 = OnnxModel.load(model);
        List<PackageBuilder.VariantSource> variants = new ArrayList<>();
        variants.add(new PackageBuilder.VariantSource("fp32", "fp32", fp32, VariantConstraints.ANY));
        if (quantize != null) {
            CalibrationSplit split = CalibrationSplit.of(datasets.load(calibration), calibrationSamples, validationSamples);
            spec.commandLine().getErr().printf("pack: quantizing to int8 (%s recipe), calibrating on %s, judging on %s%n",
                    int8Recipe, split.calibration().name(), split.validation().name());
            Int8Quantizer quantizer = int8Recipe.equals("dense") ? dense : planned;
            Optional<OnnxModel> int8 = quantizer.quantize(fp32, split.calibration(), split.validation());
            if (int8.isPresent()) {
                // The planned recipe kept int8 because it measured faster here, so this host's class runs it too.
                variants.add(new PackageBuilder.VariantSource("int8", "int8", int8.get(),
                        VariantConstraints.int8(int8Recipe.equals("planned"))));
            } else {
                spec.commandLine().getErr().println("pack: no int8 plan paid on this host; packaging fp32 only"
                        + " (use --int8-recipe dense to add the dense-layer int8 variant anyway)");
            }
        }
        Dataset ref = datasets.load(reference).head(referenceSamples);
        PackageBuilder builder = new PackageBuilder(PackageBuilder.Options.DEFAULTS, new PackageWriter(), System.err);
        Manifest manifest = builder.build(new PackageBuilder.Request(name, version, variants, ref,
                Preprocessing.unitScaleFor(fp32.inputs().get(0).shape().size()), new Lineage(trainingRun, null, parentVersion, "edgeloop pack"),
                referenceInputs), signer, target);
        printSummary(spec.commandLine().getOut(), target, manifest, signer.keyId());
        return 0;
    }

    private int packTorchScript(Path target, ManifestSigner signer) throws EdgeLoopException {
        if (quantize != null) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--quantize works on ONNX models; a TorchScript"
                    + " package carries the .pt file as it is");
        }
        List<TensorSpec> inputs = new ArrayList<>();
        for (String s : torchInputs) {
            inputs.add(TorchScriptPackager.parseSpec(s));
        }
        List<TensorSpec> outputs = new ArrayList<>();
        for (String s : torchOutputs) {
            outputs.add(TorchScriptPackager.parseSpec(s));
        }
        Manifest manifest = new TorchScriptPackager(new PackageWriter()).build(new TorchScriptPackager.Request(name, version,
                model, inputs, outputs, labels, new Lineage(trainingRun, null, parentVersion, "edgeloop pack")), signer, target);
        printSummary(spec.commandLine().getOut(), target, manifest, signer.keyId());
        return 0;
    }

    private void printSummary(PrintWriter out, Path target, Manifest m, String keyId) {
        if (json) {
            ObjectNode node = ManifestJson.mapper().createObjectNode().put("package", target.toString())
                    .put("name", m.name()).put("version", m.version()).put("framework", m.framework()).put("keyId", keyId)
                    .put("recommendedVariant", m.metrics() == null ? m.variants().get(0).id() : m.metrics().recommendedVariant());
            ArrayNode variants = node.putArray("variants");
            for (Variant v : m.variants()) {
                ObjectNode vn = variants.addObject().put("id", v.id()).put("file", v.file());
                vn.set("metrics", ManifestJson.mapper().valueToTree(v.metrics()));
                vn.set("profiles", ManifestJson.mapper().valueToTree(v.constraints().profiles()));
            }
            out.println(node);
            return;
        }
        out.printf("packed %s %s into %s (signed by key %s)%n", m.name(), m.version(), target, keyId);
        if (m.metrics() != null) {
            out.print(EvaluationTable.render(m));
        }
    }
}
