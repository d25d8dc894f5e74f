package io.edgeloop.packageformat;

import io.edgeloop.packageformat.sign.ManifestSignature;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code .elpkg} files: {@code manifest.json} first (so a streaming reader meets it
 * before any model byte), the model files in manifest order, {@code manifest.sig} last. Entry
 * order and timestamps are fixed, so the same inputs give the same bytes. The file appears
 * atomically: a reader never sees half a package.
 */
public final class PackageWriter {
    /** Fixed entry time: zip timestamps would otherwise make every build differ. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    /** Serialises the manifest canonically, signs it and writes the package. */
    public Path write(Path target, Manifest manifest, Map<String, Path> files, ManifestSigner signer)
            throws PackageException {
        for (FileEntry entry : manifest.files()) {
            if (!files.containsKey(entry.path())) {
                throw new PackageException(ErrorCode.PACKAGE_MISSING_ENTRY,
                        "the manifest lists '" + entry.path() + "' but no source file was given for it");
            }
        }
        Map<String, Path> ordered = new LinkedHashMap<>();
        manifest.files().forEach(entry -> ordered.put(entry.path(), files.get(entry.path())));
        byte[] bytes = ManifestJson.canonicalBytes(manifest);
        return write(target, bytes, signer.sign(bytes), ordered);
    }

    /**
     * Writes already-serialised manifest bytes and their signature with the given files, in the
     * map's order, without checking that they agree: the verifier is the one that checks.
     */
    public Path write(Path target, byte[] manifestBytes, ManifestSignature signature, Map<String, Path> files)
            throws PackageException {
        Path absolute = target.toAbsolutePath();
        Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try {
            Files.createDirectories(absolute.getParent());
            try (OutputStream raw = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(raw)) {
                put(zip, EntryNames.MANIFEST, manifestBytes);
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    EntryNames.requireSafe(file.getKey());
                    zip.putNextEntry(entry(file.getKey()));
                    Files.copy(file.getValue(), zip);
                    zip.closeEntry();
                }
                put(zip, EntryNames.SIGNATURE, ManifestJson.mapper().writeValueAsBytes(signature));
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return absolute;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new PackageException(ErrorCode.STORAGE_FAILED, "cannot write package " + absolute + ": " + e.getMessage(), e);
        } catch (PackageException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(entry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static ZipEntry entry(String name) {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        return entry;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The write already failed; that error is the one to report.
        }
    }
}
