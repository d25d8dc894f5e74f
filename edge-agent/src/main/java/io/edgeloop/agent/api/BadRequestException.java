package io.edgeloop.agent.api;

/**
 * A request the agent refuses, with the HTTP status (4xx) and a sentence naming the problem.
 * Unchecked so the parser can throw it from deep inside the token loop.
 */
public final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public BadRequestException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a bad request answers 4xx, not " + status);
        }
        this.status = status;
    }

    public BadRequestException(String message) {
        this(400, message);
    }

    public int status() {
        return status;
    }
}
