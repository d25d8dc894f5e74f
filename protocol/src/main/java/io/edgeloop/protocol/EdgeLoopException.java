package io.edgeloop.protocol;

/**
 * A failure a user or a peer can act on: it names an {@link ErrorCode} and a sentence about this
 * occurrence. Components throw this (or a subclass) instead of inventing their own codes, so the
 * same code reaches the CLI, the REST API and job status updates.
 */
public class EdgeLoopException extends Exception implements CodedFailure {
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

    @Override
    public ErrorCode code() {
        return code;
    }

    /** "CODE: message. advice" — what a CLI prints. */
    public String describe() {
        return code + ": " + code.sentence(getMessage());
    }
}
