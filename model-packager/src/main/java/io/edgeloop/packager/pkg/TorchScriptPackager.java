package io.edgeloop.packager.pkg;

import io.edgeloop.packageformat.FileEntry;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.Sha256;
import io.edgeloop.packageformat.TensorSpec;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VariantConstraints;
import io.edgeloop.packageformat.VariantMetrics;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a signed {@code framework: torchscript} package from a TorchScript file. A TorchScript
 * file names none of its tensors, so the caller declares them; the package has one {@code fp32}
 * variant ({@code model.pt}) for any device, and no metrics or drift baseline: those are measured
 * with ONNX Runtime, which cannot run TorchScript.
 */
public final class TorchScriptPackager {
    static final String MODEL_FILE = "model.pt";
    /** KServe v2 datatypes a TorchScript model's tensors can have in a package. */
    public static final Set<String> DATATYPES = Set.of("FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "BOOL");
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    /**
     * What to package.
     *
     * @param labels class labels in output order; empty for a model that is not a classifier
     */
    public record Request(String name, String version, Path model, List<TensorSpec> inputs, List<TensorSpec> outputs,
                          List<String> labels, Lineage lineage) {
        public Request {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            labels = labels == null ? List.of() : List.copyOf(labels);
        }
    }

    private final PackageWriter writer;

    public TorchScriptPackager(PackageWriter writer) {
        this.writer = writer;
    }

    /** Checks the request, then writes the signed package to {@code out}. */
    public Manifest build(Request request, ManifestSigner signer, Path out) throws EdgeLoopException {
        requireTorchScriptFile(request.model());
        requireSpecs("input", request.inputs());
        requireSpecs("output", request.outputs());
        requireLabelsFit(request);
        long size;
        String sha256;
        try (InputStream in = new DigestInputStream(Files.newInputStream(request.model()), Sha256.newDigest())) {
            size = in.transferTo(OutputStream.nullOutputStream());
            sha256 = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read " + request.model() + ": " + e.getMessage(), e);
        }
        Manifest manifest;
        try {
            manifest = new Manifest(Manifest.FORMAT_VERSION, request.name(), request.version(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "torchscript",
                    List.of(new FileEntry(MODEL_FILE, sha256, size)), request.inputs(), request.outputs(), null,
                    request.labels(), List.of(new Variant("fp32", MODEL_FILE, "fp32", VariantConstraints.ANY,
                    new VariantMetrics(null, null, null, null, null, size))), null, request.lineage(), null);
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
        writer.write(out, manifest, Map.of(MODEL_FILE, request.model()), signer);
        return manifest;
    }

    /**
     * Parses a tensor declaration {@code NAME:DATATYPE:DIM,DIM,...}, e.g. {@code features:FP32:-1,6}
     * ({@code -1} = any size, usually the batch; an empty shape is a scalar).
     */
    public static TensorSpec parseSpec(String text) throws EdgeLoopException {
        String[] parts = text.split(":", -1);
        if (parts.length != 3 || parts[0].isBlank()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "tensor '" + text
                    + "' must read NAME:DATATYPE:DIM,DIM,... e.g. features:FP32:-1,6");
        }
        List<Long> shape = new ArrayList<>();
        for (String dim : parts[2].isEmpty() ? new String[0] : parts[2].split(",", -1)) {
            try {
                shape.add(Long.parseLong(dim.trim()));
            } catch (NumberFormatException e) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "tensor '" + text + "' has dimension '" + dim
                        + "', which is not an integer");
            }
        }
        return new TensorSpec(parts[0].trim(), parts[1].trim().toUpperCase(Locale.ROOT), shape);
    }

    private static void requireTorchScriptFile(Path model) throws EdgeLoopException {
        if (!Files.isRegularFile(model)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "TorchScript file " + model + " does not exist");
        }
        byte[] head = new byte[ZIP_MAGIC.length];
        try (InputStream in = Files.newInputStream(model)) {
            if (in.readNBytes(head, 0, head.length) < head.length || !Arrays.equals(head, ZIP_MAGIC)) {
                // torch.jit.save writes a zip archive; anything else (a pickled state_dict, an ONNX file) is not TorchScript.
                throw new EdgeLoopException(ErrorCode.MODEL_INVALID, model + " is not a TorchScript archive (torch.jit.save"
                        + " writes a zip file); save the model with torch.jit.trace or torch.jit.script first");
            }
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read " + model + ": " + e.getMessage(), e);
        }
    }

    private static void requireSpecs(String kind, List<TensorSpec> specs) throws EdgeLoopException {
        if (specs.isEmpty()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "a TorchScript package needs at least one declared "
                    + kind + " (NAME:DATATYPE:DIM,DIM,...): the file itself names none");
        }
        Set<String> names = new HashSet<>();
        for (TensorSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, kind + " '" + spec.name() + "' is declared twice");
            }
            if (!DATATYPES.contains(spec.datatype())) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, kind + " '" + spec.name() + "' has datatype "
                        + spec.datatype() + "; use one of " + new TreeSet<>(DATATYPES));
            }
            for (long dim : spec.shape()) {
                if (dim < -1 || dim == 0) {
                    throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, kind + " '" + spec.name() + "' has dimension "
                            + dim + "; dimensions are positive, or -1 for any size");
                }
            }
        }
    }

    /** A classifier's labels must match its first output's class dimension when that is fixed. */
    private static void requireLabelsFit(Request request) throws EdgeLoopException {
        List<Long> shape = request.outputs().get(0).shape();
        if (request.labels().isEmpty() || shape.isEmpty()) {
            return;
        }
        long classes = shape.get(shape.size() - 1);
        if (classes > 0 && classes != request.labels().size()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, request.labels().size() + " labels given but output '"
                    + request.outputs().get(0).name() + "' has " + classes + " values per row");
        }
    }
}
