package io.edgeloop.protocol;

/**
 * What kind of failure an {@link ErrorCode} names, which says how a caller should react: fix the
 * request, look elsewhere, resolve a conflict, authenticate, ask for more rights, retry later, or
 * report a bug. Each category carries the HTTP status that answers it.
 */
public enum ErrorCategory {
    /** The request or input is wrong; sending it again unchanged fails again. */
    BAD_INPUT(400),
    /** No credentials, or credentials that are not valid. */
    UNAUTHORISED(401),
    /** Valid credentials without the right to do this. */
    FORBIDDEN(403),
    /** The named thing (model, endpoint, run, device...) does not exist. */
    NOT_FOUND(404),
    /** The request is valid but clashes with the current state (a version in use, a port taken, a failed gate). */
    CONFLICT(409),
    /** A passing condition (load, shutdown, a network or a version swap); the same request may succeed later. */
    UNAVAILABLE(503),
    /** A fault of EdgeLoop itself or of its host; see the log. */
    INTERNAL(500);

    private final int httpStatus;

    ErrorCategory(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status that answers a failure of this category. */
    public int httpStatus() {
        return httpStatus;
    }

    /** True when the same request may succeed if sent again later. */
    public boolean retryable() {
        return this == UNAVAILABLE;
    }
}
