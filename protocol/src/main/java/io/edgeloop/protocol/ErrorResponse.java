package io.edgeloop.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one mapping from a failure to an HTTP error answer, shared by the agent's and the server's
 * APIs: status from the code's category, body {@code {"error": sentence, "code": CODE}}. The
 * sentence is the occurrence's message followed by the code's advice. A failure without a code
 * answers {@link ErrorCode#INTERNAL} (500) with the advice only: no exception class, message or
 * stack reaches the body; the caller logs it ({@link #expected()} is false).
 *
 * <p>Pure: no HTTP library. Each API's glue writes {@link #json()} with {@link #status()}.
 *
 * @param status HTTP status
 * @param code   the error code
 * @param error  the sentence for the {@code error} field
 */
public record ErrorResponse(int status, ErrorCode code, String error) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ErrorResponse {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error answers 4xx or 5xx, not " + status);
        }
        if (code == null || error == null) {
            throw new IllegalArgumentException("code and error are required");
        }
    }

    /** The answer for {@code code} with a sentence about this occurrence. */
    public static ErrorResponse of(ErrorCode code, String message) {
        return new ErrorResponse(code.httpStatus(), code, code.sentence(message));
    }

    /**
     * The answer for any failure. Wrappers of asynchronous code ({@link CompletionException},
     * {@link ExecutionException}) are looked through; a {@link CodedFailure} answers its code;
     * an {@link IllegalArgumentException} (a record or option refusing a value from the request)
     * answers {@link ErrorCode#INVALID_ARGUMENT}; anything else is {@link ErrorCode#INTERNAL}.
     */
    public static ErrorResponse of(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof CodedFailure coded) {
            return of(coded.code(), coded.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return of(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
        return of(ErrorCode.INTERNAL, null);
    }

    /** The failure behind the wrappers asynchronous code puts around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException
                || e instanceof UndeclaredThrowableException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** False for {@link ErrorCode#INTERNAL}: a fault the caller should log with its stack. */
    public boolean expected() {
        return code.category() != ErrorCategory.INTERNAL;
    }

    /** The body as an ordered map: {@code error}, then {@code code}. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("code", code.name());
        return body;
    }

    /** The body as UTF-8 JSON. */
    public byte[] json() {
        try {
            return JSON.writeValueAsBytes(body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("two strings did not serialise", e);
        }
    }
}
