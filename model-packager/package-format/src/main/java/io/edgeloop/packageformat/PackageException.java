package io.edgeloop.packageformat;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

/**
 * A package was refused or could not be written. The code says which check failed (see the
 * {@code PACKAGE_*} values of {@link ErrorCode}); the message names the entry.
 */
public final class PackageException extends EdgeLoopException {
    private static final long serialVersionUID = 1L;

    public PackageException(ErrorCode code, String message) {
        super(code, message);
    }

    public PackageException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
