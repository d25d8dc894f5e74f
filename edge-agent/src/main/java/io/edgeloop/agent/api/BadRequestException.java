package io.edgeloop.agent.api;

import io.edgeloop.protocol.CodedFailure;
import io.edgeloop.protocol.ErrorCode;

/**
 * A request the agent refuses, with its code (4xx) and a sentence naming the problem. Unchecked
 * so the parser can throw it from deep inside the token loop.
 */
public final class BadRequestException extends RuntimeException implements CodedFailure {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public BadRequestException(ErrorCode code, String message) {
        super(message, null, false, false);
        int status = code.httpStatus();
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a bad request answers 4xx, not " + code + " (" + status + ")");
        }
        this.code = code;
    }

    /** Tensors or a body that do not fit the model: {@link ErrorCode#INFERENCE_INPUT_INVALID}. */
    public BadRequestException(String message) {
        this(ErrorCode.INFERENCE_INPUT_INVALID, message);
    }

    @Override
    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.httpStatus();
    }
}
