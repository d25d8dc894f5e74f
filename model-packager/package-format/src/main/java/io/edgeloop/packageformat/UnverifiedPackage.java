package io.edgeloop.packageformat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.packageformat.sign.ManifestSignature;
import io.edgeloop.protocol.ErrorCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A package's manifest read without a trusted key, for showing what a package claims
 * ({@code edgeloop inspect}); never for installing. Reads are still bounded and checked against
 * the manifest's declared sizes and digests.
 */
public final class UnverifiedPackage {
    private final Path file;
    private final Manifest manifest;
    private final String keyId;
    private final long maxEntryBytes;

    private UnverifiedPackage(Path file, Manifest manifest, String keyId, long maxEntryBytes) {
        this.file = file;
        this.manifest = manifest;
        this.keyId = keyId;
        this.maxEntryBytes = maxEntryBytes;
    }

    public static UnverifiedPackage open(Path file, PackageVerifier.Options options) throws PackageException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            byte[] manifestBytes = read(zip, EntryNames.MANIFEST, options.maxManifestBytes());
            if (manifestBytes == null) {
                throw new PackageException(ErrorCode.PACKAGE_MISSING_ENTRY, file + " has no manifest.json");
            }
            JsonNode tree = ManifestJson.tree(manifestBytes);
            int version = ManifestJson.formatVersion(tree);
            if (version != Manifest.FORMAT_VERSION) {
                throw new PackageException(ErrorCode.PACKAGE_FORMAT_UNSUPPORTED, "manifest.json has format version "
                        + version + "; this EdgeLoop reads version " + Manifest.FORMAT_VERSION);
            }
            Manifest manifest = ManifestJson.parse(tree);
            byte[] sig = read(zip, EntryNames.SIGNATURE, options.maxManifestBytes());
            String keyId = null;
            if (sig != null) {
                keyId = ManifestJson.mapper().readValue(sig, ManifestSignature.class).keyId();
            }
            return new UnverifiedPackage(file, manifest, keyId, options.maxEntryBytes());
        } catch (IOException e) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The key id {@code manifest.sig} claims, if the package has one (not checked). */
    public Optional<String> claimedKeyId() {
        return Optional.ofNullable(keyId);
    }

    /** A listed file's bytes, bounded by its declared size and checked against its declared digest. */
    public byte[] readFile(String path) throws PackageException {
        FileEntry entry = manifest.file(path).orElseThrow(() -> new PackageException(ErrorCode.PACKAGE_UNKNOWN_ENTRY,
                "the manifest does not list '" + path + "'"));
        EntryNames.requireSafe(path);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry zipEntry = zip.getEntry(path);
            if (zipEntry == null) {
                throw new PackageException(ErrorCode.PACKAGE_MISSING_ENTRY, "the package does not hold '" + path + "'");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = zip.getInputStream(zipEntry)) {
                BoundedCopy.Result result = BoundedCopy.copy(path, in, out, Math.min(entry.size(), maxEntryBytes),
                        "its declared size in the manifest");
                if (!result.sha256().equals(entry.sha256())) {
                    throw new PackageException(ErrorCode.PACKAGE_HASH_MISMATCH, "entry '" + path
                            + "' does not match its sha256 in the manifest");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, "cannot read '" + path + "': " + e.getMessage(), e);
        }
    }

    private static byte[] read(ZipFile zip, String name, long limit) throws IOException, PackageException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return BoundedCopy.readAll(name, in, limit);
        }
    }
}
