package io.edgeloop.packageformat;

import io.edgeloop.protocol.ErrorCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A package that passed {@link PackageVerifier}: its parsed manifest, and the only way to take
 * files out of it. Every read re-hashes the bytes against the manifest as it copies them, so a
 * package file replaced after verification is still caught; a failed extraction leaves nothing
 * behind.
 */
public final class VerifiedPackage {
    private final Path file;
    private final Manifest manifest;
    private final byte[] manifestBytes;
    private final String keyId;
    private final long maxEntryBytes;

    VerifiedPackage(Path file, Manifest manifest, byte[] manifestBytes, String keyId, long maxEntryBytes) {
        this.file = file;
        this.manifest = manifest;
        this.manifestBytes = manifestBytes.clone();
        this.keyId = keyId;
        this.maxEntryBytes = maxEntryBytes;
    }

    public Path path() {
        return file;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The signed {@code manifest.json} bytes exactly as stored. */
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    /** Id of the key that signed the package. */
    public String keyId() {
        return keyId;
    }

    /** Extracts one variant's model file into {@code dir} and returns its path there. */
    public Path extractVariant(String variantId, Path dir) throws PackageException {
        Variant variant = manifest.variant(variantId).orElseThrow(() -> new PackageException(
                ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, "the package has no variant '" + variantId
                + "'; it has " + manifest.variants().stream().map(Variant::id).toList()));
        return extractFile(variant.file(), dir);
    }

    /** Extracts every listed file into {@code dir}; returns their paths in manifest order. */
    public List<Path> extractAll(Path dir) throws PackageException {
        List<Path> out = new ArrayList<>();
        for (FileEntry entry : manifest.files()) {
            out.add(extractFile(entry.path(), dir));
        }
        return out;
    }

    /** Extracts one listed file into {@code dir} (keeping its relative path) and returns where it landed. */
    public Path extractFile(String path, Path dir) throws PackageException {
        FileEntry entry = listed(path);
        Path root = dir.toAbsolutePath().normalize();
        Path target = root.resolve(entry.path()).normalize();
        if (!target.startsWith(root)) {
            // Names were checked at verification; this guards against a future change of those rules.
            throw new PackageException(ErrorCode.PACKAGE_UNSAFE_PATH, "entry '" + path + "' would land outside " + root);
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(tmp)) {
                copyChecked(entry, out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new PackageException(ErrorCode.STORAGE_FAILED, "cannot extract '" + path + "' to " + root + ": " + e.getMessage(), e);
        } catch (PackageException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** The bytes of one listed file, hash-checked. */
    public byte[] readFile(String path) throws PackageException {
        FileEntry entry = listed(path);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            copyChecked(entry, out);
        } catch (IOException e) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, "cannot read '" + path + "': " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * The reference inputs the package carries with the fp32 model's answers, or empty for a
     * package built without them (or before they existed). Read, hash-checked and parsed on each
     * call, so an agent holds the samples only while it validates.
     *
     * @throws PackageException {@code PACKAGE_ENTRY_TOO_LARGE} for a file over
     *     {@link ReferenceSet#MAX_BYTES}, {@code PACKAGE_REFERENCE_INVALID} for a malformed one,
     *     {@code PACKAGE_HASH_MISMATCH} when the package file changed since verification
     */
    public Optional<ReferenceSet> referenceSet() throws PackageException {
        Optional<FileEntry> entry = manifest.file(ReferenceSet.ENTRY);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        if (entry.get().size() > ReferenceSet.MAX_BYTES) {
            throw new PackageException(ErrorCode.PACKAGE_ENTRY_TOO_LARGE, "entry '" + ReferenceSet.ENTRY + "' declares "
                    + entry.get().size() + " bytes, more than the reference file limit of " + ReferenceSet.MAX_BYTES);
        }
        ReferenceSet set = ReferenceSet.parse(readFile(ReferenceSet.ENTRY));
        set.requireFits(manifest);
        return Optional.of(set);
    }

    private FileEntry listed(String path) throws PackageException {
        return manifest.file(path).orElseThrow(() -> new PackageException(ErrorCode.PACKAGE_UNKNOWN_ENTRY,
                "the manifest does not list '" + path + "'"));
    }

    private void copyChecked(FileEntry entry, OutputStream out) throws IOException, PackageException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry zipEntry = zip.getEntry(entry.path());
            if (zipEntry == null) {
                throw new PackageException(ErrorCode.PACKAGE_MISSING_ENTRY, "'" + entry.path() + "' is no longer in " + file);
            }
            try (InputStream in = zip.getInputStream(zipEntry)) {
                BoundedCopy.Result result = BoundedCopy.copy(entry.path(), in, out,
                        Math.min(entry.size(), maxEntryBytes), "its declared size in the manifest");
                if (result.size() != entry.size() || !result.sha256().equals(entry.sha256())) {
                    throw new PackageException(ErrorCode.PACKAGE_HASH_MISMATCH, "'" + entry.path()
                            + "' changed since the package was verified");
                }
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Extraction already failed; that error is the one to report.
        }
    }
}
