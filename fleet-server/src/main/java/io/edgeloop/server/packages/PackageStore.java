package io.edgeloop.server.packages;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Package files by content: {@code ROOT/sha256/ab/abcdef….elpkg}. Uploads land in
 * {@code ROOT/incoming} (same file system, so moving one in is atomic) and are moved in only
 * once verified and recorded.
 */
public final class PackageStore {
    private final Path root;
    private final Path incoming;

    public PackageStore(Path root) throws EdgeLoopException {
        this.root = root;
        this.incoming = root.resolve("incoming");
        try {
            Files.createDirectories(incoming);
            Files.createDirectories(root.resolve("sha256"));
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot create the package store " + root + ": " + e, e);
        }
    }

    /** A new empty file for an upload in progress. */
    public Path newUpload() throws EdgeLoopException {
        try {
            return Files.createTempFile(incoming, "upload-", ".part");
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot create an upload file in " + incoming + ": " + e, e);
        }
    }

    public Path pathOf(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 hex digest: " + sha256);
        }
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256 + ".elpkg");
    }

    /** Moves a verified upload to its content address; the same content already there is kept. */
    public void moveIn(Path upload, String sha256) throws EdgeLoopException {
        Path target = pathOf(sha256);
        try {
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                Files.delete(upload);
            } else {
                Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot store the package at " + target + ": " + e, e);
        }
    }

    public void delete(String sha256) throws EdgeLoopException {
        try {
            Files.deleteIfExists(pathOf(sha256));
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot delete " + pathOf(sha256) + ": " + e, e);
        }
    }

    public static void discard(Path upload) {
        try {
            Files.deleteIfExists(upload);
        } catch (IOException e) {
            // A leftover in incoming/ is harmless and replaced by later uploads' own files.
        }
    }
}
