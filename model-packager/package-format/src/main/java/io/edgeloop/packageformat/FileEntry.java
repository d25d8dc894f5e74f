package io.edgeloop.packageformat;

import java.util.Objects;

/**
 * One file a package carries besides {@code manifest.json} and {@code manifest.sig}.
 *
 * @param path   the entry name inside the zip (relative, forward slashes)
 * @param sha256 lower-case hex digest of the file's bytes
 * @param size   exact size in bytes; a reader refuses an entry that inflates beyond it
 */
public record FileEntry(String path, String sha256, long size) {

    public FileEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(path + ": sha256 must be 64 lower-case hex digits, not '" + sha256 + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException(path + ": size must not be negative");
        }
    }
}
