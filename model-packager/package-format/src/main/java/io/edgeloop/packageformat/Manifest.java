package io.edgeloop.packageformat;

import io.edgeloop.packageformat.baseline.DriftBaseline;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The manifest of an {@code .elpkg} package (format version 1; README.md, "Architecture"): what
 * the model is, which files hold it with their digests, its tensors, preprocessing and labels, the variants
 * and the devices each suits, what they measured, where the model came from, and the drift
 * baseline the agent compares live data against. Its canonical JSON bytes are what is signed.
 *
 * @param createdAt ISO-8601 instant, e.g. {@code 2026-11-26T05:00:00Z}
 * @param framework {@code onnx} or {@code torchscript}
 */
public record Manifest(int formatVersion, String name, String version, String createdAt, String framework,
                       List<FileEntry> files, List<TensorSpec> inputs, List<TensorSpec> outputs,
                       Preprocessing preprocessing, List<String> labels, List<Variant> variants,
                       MetricsSummary metrics, Lineage lineage, DriftBaseline baseline) {

    /** The only format version this code reads and writes. */
    public static final int FORMAT_VERSION = 1;
    public static final Set<String> FRAMEWORKS = Set.of("onnx", "torchscript");
    /** Semantic Versioning 2.0.0, without the leading 'v'. */
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Manifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(framework, "framework");
        files = List.copyOf(files);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        labels = labels == null ? List.of() : List.copyOf(labels);
        variants = List.copyOf(variants);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name '" + name
                    + "' must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (!isSemanticVersion(version)) {
            throw new IllegalArgumentException("version '" + version + "' is not a semantic version like 1.2.0");
        }
        if (!FRAMEWORKS.contains(framework)) {
            throw new IllegalArgumentException("framework '" + framework + "' is not one of " + FRAMEWORKS);
        }
        if (createdAt != null) {
            try {
                Instant.parse(createdAt);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("createdAt '" + createdAt + "' is not an ISO-8601 instant");
            }
        }
        Set<String> paths = new HashSet<>();
        for (FileEntry file : files) {
            if (!paths.add(file.path())) {
                throw new IllegalArgumentException("file '" + file.path() + "' is listed twice");
            }
        }
        Set<String> ids = new HashSet<>();
        for (Variant variant : variants) {
            if (!ids.add(variant.id())) {
                throw new IllegalArgumentException("variant '" + variant.id() + "' is listed twice");
            }
            if (!paths.contains(variant.file())) {
                throw new IllegalArgumentException("variant '" + variant.id() + "' names file '" + variant.file()
                        + "' which the manifest does not list");
            }
        }
    }

    public static boolean isSemanticVersion(String version) {
        return version != null && SEMVER.matcher(version).matches();
    }

    public Optional<Variant> variant(String id) {
        return variants.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    public Optional<FileEntry> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }
}
