package io.edgeloop.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aCodedFailureAnswersItsCategorysStatusWithMessageAndAdvice() throws Exception {
        ErrorResponse r = ErrorResponse.of(new EdgeLoopException(ErrorCode.MODEL_NOT_FOUND, "model 'x' is not loaded"));
        assertEquals(404, r.status());
        assertEquals(ErrorCode.MODEL_NOT_FOUND, r.code());
        assertEquals("model 'x' is not loaded. " + ErrorCode.MODEL_NOT_FOUND.advice(), r.error());
        JsonNode body = JSON.readTree(r.json());
        assertEquals(List.of("error", "code"), names(body.fieldNames()));
        assertEquals("MODEL_NOT_FOUND", body.get("code").asText());
        assertEquals(r.error(), body.get("error").asText());
        assertTrue(r.expected());
    }

    @Test
    void asynchronousWrappersAreLookedThrough() {
        EdgeLoopException cause = new EdgeLoopException(ErrorCode.INSTALL_FAILED, "version 2 is active");
        assertEquals(ErrorCode.INSTALL_FAILED, ErrorResponse.of(new CompletionException(new ExecutionException(cause))).code());
        assertEquals(409, ErrorResponse.of(new CompletionException(cause)).status());
    }

    @Test
    void anUnknownFailureIsInternalWithoutItsClassMessageOrStack() throws Exception {
        IllegalStateException bug = new IllegalStateException("secret internals at com.example.Foo");
        ErrorResponse r = ErrorResponse.of(new CompletionException(bug));
        assertEquals(500, r.status());
        assertEquals(ErrorCode.INTERNAL, r.code());
        assertEquals(ErrorCode.INTERNAL.advice(), r.error());
        String json = new String(r.json(), java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(json.contains("IllegalStateException") || json.contains("secret") || json.contains("\tat "), json);
        assertFalse(r.expected());
    }

    @Test
    void anArgumentRefusedByARecordIsInvalidArgument() {
        ErrorResponse r = ErrorResponse.of(new InvalidFieldException("seq", "must be >= 0"));
        assertEquals(400, r.status());
        assertEquals(ErrorCode.INVALID_ARGUMENT, r.code());
        assertTrue(r.error().startsWith("seq: must be >= 0. "), r.error());
    }

    @Test
    void everyCodeHasACategoryAndAnErrorStatus() {
        for (ErrorCode code : ErrorCode.values()) {
            int status = code.httpStatus();
            assertTrue(status >= 400 && status <= 599, code + " " + status);
            assertEquals(status / 100, code.category().httpStatus() / 100, code + ": a refined status stays in its class");
            assertFalse(code.advice().isBlank(), code.name());
        }
        assertEquals(ErrorCategory.UNAVAILABLE, ErrorCode.DOWNLOAD_FAILED.category());
        assertTrue(ErrorCode.DOWNLOAD_FAILED.retryable());
        assertFalse(ErrorCode.PACKAGE_HASH_MISMATCH.retryable());
        assertEquals(503, ErrorCode.OVERLOADED.httpStatus());
        assertTrue(ErrorCode.MODEL_UNLOADING.retryable());
        assertEquals(409, ErrorCode.PACKAGE_KEY_MISSING.httpStatus());
        assertEquals(ErrorCategory.CONFLICT, ErrorCode.PORT_IN_USE.category());
        assertEquals(404, ErrorCode.NOT_FOUND.httpStatus());
        assertEquals(413, ErrorCode.REQUEST_TOO_LARGE.httpStatus());
        assertEquals(405, ErrorCode.METHOD_NOT_ALLOWED.httpStatus());
    }

    @Test
    void theSentenceJoinsMessageAndAdvice() {
        assertEquals("it broke. " + ErrorCode.INTERNAL.advice(), ErrorCode.INTERNAL.sentence("it broke"));
        assertEquals("it broke! " + ErrorCode.INTERNAL.advice(), ErrorCode.INTERNAL.sentence("it broke! "));
        assertEquals(ErrorCode.INTERNAL.advice(), ErrorCode.INTERNAL.sentence(null));
        assertEquals("INTERNAL: it broke. " + ErrorCode.INTERNAL.advice(),
                new EdgeLoopException(ErrorCode.INTERNAL, "it broke").describe());
    }

    private static <T> List<T> names(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
