package io.edgeloop.protocol;

/**
 * A failure a user or a peer can act on: it names an {@link ErrorCode} and a sentence about this
 * occurrence. Components throw this (or a subclass) instead of inventing their own codes, so the
 * same code reaches the CLI, the REST API and job status updates.
 */
public class EdgeLoopException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public EdgeLoopException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public EdgeLoopException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** "CODE: message. advice" — what a CLI prints. */
    public String describe() {
        String message = getMessage() == null ? "" : getMessage().strip();
        boolean ended = message.endsWith(".") || message.endsWith("!") || message.endsWith("?");
        return code + ": " + message + (ended || message.isEmpty() ? " " : ". ") + code.advice();
    }
}
