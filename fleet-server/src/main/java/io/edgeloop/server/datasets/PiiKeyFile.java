package io.edgeloop.server.datasets;

import io.edgeloop.packager.data.PiiHasher;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The server's secret for {@code hash} PII rules: 32 random bytes in {@code DATA_DIR/pii-hmac.key}
 * (hex), created owner-only (rw-------) on first use and kept from then on, so the same value
 * hashes alike in every dataset of this server (and of replicas sharing the data folder). Losing
 * the file means new imports no longer join with old ones; it is never sent anywhere.
 */
public final class PiiKeyFile {
    public static final String FILE_NAME = "pii-hmac.key";

    private final Path file;
    private PiiHasher hasher;

    public PiiKeyFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** The keyed hasher, the key read or created at the first call. */
    public synchronized PiiHasher hasher() throws EdgeLoopException {
        if (hasher == null) {
            hasher = PiiHasher.hmac(loadOrCreate());
        }
        return hasher;
    }

    /** A hasher that reads or creates the key only when a value is first hashed. */
    public PiiHasher lazyHasher() {
        return value -> {
            try {
                return hasher().hash(value);
            } catch (EdgeLoopException e) {
                throw new IllegalStateException(e.describe(), e);
            }
        };
    }

    private byte[] loadOrCreate() throws EdgeLoopException {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Path part = file.resolveSibling(FILE_NAME + "." + ProcessHandle.current().pid() + ".part");
                Files.deleteIfExists(part);
                Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(part, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
                try {
                    // A link fails when another process created the key first: both then use that one.
                    Files.createLink(file, part);
                } catch (FileAlreadyExistsException e) {
                    // keep the existing key
                } finally {
                    Files.deleteIfExists(part);
                }
            }
            byte[] key = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length < 32) {
                throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, file + " holds " + key.length
                        + " bytes; a PII key has 32 (restore the file from a backup)");
            }
            return key;
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read or create the PII key " + file + ": " + e, e);
        }
    }
}
