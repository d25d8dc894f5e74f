package io.edgeloop.server.api;

import io.edgeloop.protocol.ErrorCode;

/**
 * The HTTP status of each error code the fleet API answers with. A local adapter until the
 * protocol module's own category mapping (house-errors) is merged; then this class goes and
 * {@link HttpReplies#error} calls that mapper.
 */
public final class ErrorStatus {
    private ErrorStatus() {
    }

    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, INVALID_DEVICE_ID, MALFORMED_MESSAGE, DATASET_INVALID,
                 PACKAGE_UNREADABLE, PACKAGE_SIGNATURE_MISSING, PACKAGE_SIGNATURE_INVALID, PACKAGE_KEY_MISMATCH,
                 PACKAGE_HASH_MISMATCH, PACKAGE_UNSAFE_PATH, PACKAGE_DUPLICATE_ENTRY, PACKAGE_ENTRY_TOO_LARGE,
                 PACKAGE_UNKNOWN_ENTRY, PACKAGE_MISSING_ENTRY, PACKAGE_FORMAT_UNSUPPORTED, PACKAGE_MANIFEST_INVALID,
                 PACKAGE_NO_COMPATIBLE_VARIANT -> 400;
            case AUTHENTICATION_REQUIRED, ENROL_TOKEN_INVALID -> 401;
            case PERMISSION_DENIED, DEVICE_REVOKED, ENROL_TOKEN_EXPIRED, DOWNLOAD_TOKEN_EXPIRED,
                 DOWNLOAD_TOKEN_INVALID -> 403;
            case NOT_FOUND, DEVICE_NOT_FOUND, PACKAGE_NOT_FOUND, TOKEN_NOT_FOUND, MODEL_NOT_FOUND -> 404;
            case DEVICE_ALREADY_EXISTS, PACKAGE_ALREADY_EXISTS, PACKAGE_IN_USE, EVALUATION_GATE_FAILED -> 409;
            case PACKAGE_TOO_LARGE -> 413;
            case RANGE_NOT_SATISFIABLE -> 416;
            case DATASET_UNAVAILABLE -> 422;
            default -> 500;
        };
    }
}
