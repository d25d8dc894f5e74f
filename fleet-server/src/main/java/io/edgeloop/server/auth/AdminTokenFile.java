package io.edgeloop.server.auth;

import io.edgeloop.server.access.Actor;
import io.edgeloop.server.access.Role;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The first admin token. On a first start (no admin token in the database) the server creates
 * one and writes it to {@code DIR/admin.token}, created owner-only (rw-------) so no other user
 * can read it even for an instant, and logs where it is. Later starts leave it alone.
 */
public final class AdminTokenFile {
    public static final String FILE_NAME = "admin.token";
    private static final Logger LOG = LoggerFactory.getLogger(AdminTokenFile.class);

    private AdminTokenFile() {
    }

    /** Creates the first admin token when there is none; returns the file written, if any. */
    public static Optional<Path> ensure(ApiTokens tokens, Path dataDir) throws EdgeLoopException {
        if (tokens.hasActiveAdmin()) {
            return Optional.empty();
        }
        IssuedToken issued = tokens.create(Actor.SYSTEM, "admin (first start)", Role.ADMIN);
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, issued.token() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot write the admin token to " + file + ": " + e, e);
        }
        LOG.info("first start: an admin API token ({}) was written to {} (owner-only); use it with"
                + " --token or EDGELOOP_TOKEN", issued.id(), file.toAbsolutePath());
        return Optional.of(file);
    }
}
