package io.edgeloop.server.publish;

import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.packages.PackageRepository;
import io.edgeloop.server.packages.PackageStore;
import io.edgeloop.server.packages.StoredPackage;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.registry.ModelVersion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Packages a registered model version on the server: its exported ONNX model goes through the
 * {@link ModelPublisher}, is signed with the server's {@link SigningKey} and stored in the
 * package repository under the model's registry name (verified against the trusted keys, which
 * include the signing key), with the version's lineage in the manifest: run id, dataset sha256
 * and parent version (the registry's version number). One package is built at a time: each
 * quantizes and measures on the CPU.
 */
public final class VersionPackager {
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+-]{0,63}");
    public static final String CREATED_BY = "edgeloop server";

    private final ModelRegistry registry;
    private final PackageRepository packages;
    private final ModelPublisher publisher;
    private final SigningKey key;
    private final Database db;
    private final AuditLog audit;

    /** @param key null when the server has no {@code --signing-key}: every request is then SIGNING_KEY_MISSING */
    public VersionPackager(ModelRegistry registry, PackageRepository packages, ModelPublisher publisher, SigningKey key,
                           Database db, AuditLog audit) {
        this.registry = registry;
        this.packages = packages;
        this.publisher = publisher;
        this.key = key;
        this.db = db;
        this.audit = audit;
    }

    /** The package version a registry version gets unless told otherwise: {@code V.0.0}. */
    public static String defaultPackageVersion(int version) {
        return version + ".0.0";
    }

    /**
     * Builds, signs and stores the package of {@code name} v{@code version}.
     *
     * @param packageVersion null: {@link #defaultPackageVersion}
     * @param calibration    labelled data the int8 variant is calibrated on
     * @param reference      labelled data the variants are measured and the drift baseline is built on
     */
    public synchronized Published publish(Actor actor, String name, int version, String packageVersion,
                                          Dataset calibration, Dataset reference) throws EdgeLoopException {
        if (key == null) {
            throw new EdgeLoopException(ErrorCode.SIGNING_KEY_MISSING, "cannot package " + name + " v" + version
                    + ": the server was started without --signing-key");
        }
        String pkgVersion = packageVersion == null ? defaultPackageVersion(version) : packageVersion;
        if (!VERSION.matcher(pkgVersion).matches()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "packageVersion '" + pkgVersion
                    + "' is not a version such as 2.0.0");
        }
        ModelVersion v = registry.get(name, version);
        if (packages.list().stream().anyMatch(p -> p.name().equals(name) && p.version().equals(pkgVersion))) {
            throw new EdgeLoopException(ErrorCode.PACKAGE_ALREADY_EXISTS, "package " + name + " " + pkgVersion
                    + " is already stored; pass another packageVersion");
        }
        OnnxModel fp32 = OnnxModel.load(Path.of(v.modelPath()));
        Lineage lineage = new Lineage(v.runId(), v.datasetSha256(),
                v.parentVersion() == null ? null : String.valueOf(v.parentVersion()), CREATED_BY);
        Path file = packages.store().newUpload();
        try {
            ModelPublisher.Publication publication = publisher.publish(new ModelPublisher.Request(name, pkgVersion, fp32,
                    calibration, reference, lineage), key.signer(), file);
            String sha = sha256(file);
            StoredPackage stored = packages.accept(actor, file, sha, Files.size(file));
            Published published = new Published(stored.withoutManifest(), name, version, lineage,
                    publication.manifest().variants().stream().map(x -> x.id()).toList(),
                    publication.int8MeasuredFasterHere(), key.keyId());
            db.transaction(c -> {
                audit.record(c, actor, "model.package", "model:" + name + "@" + version, null, published.json());
                return null;
            });
            return published;
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read the built package " + file + ": " + e, e);
        } finally {
            PackageStore.discard(file);
        }
    }

    /** A stored package built from a registry version. */
    public record Published(StoredPackage stored, String model, int modelVersion, Lineage lineage,
                            java.util.List<String> variants, boolean int8MeasuredFasterHere, String keyId) {
        /** The REST answer: the stored package ({@code name, version, sha256, size, …}) and how it was built. */
        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", stored.name());
            out.put("version", stored.version());
            out.put("sha256", stored.sha256());
            out.put("size", stored.sizeBytes());
            out.put("sizeBytes", stored.sizeBytes());
            out.put("framework", stored.framework());
            out.put("keyId", stored.keyId());
            out.put("uploadedAt", stored.uploadedAt());
            out.put("uploadedBy", stored.uploadedBy());
            out.put("model", model);
            out.put("modelVersion", modelVersion);
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("trainingRunId", lineage.trainingRunId());
            l.put("datasetSha256", lineage.datasetSha256());
            l.put("parentVersion", lineage.parentVersion());
            l.put("createdBy", lineage.createdBy());
            out.put("lineage", l);
            out.put("variants", variants);
            out.put("int8MeasuredFasterHere", int8MeasuredFasterHere);
            return out;
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
