package io.edgeloop.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeloop.protocol.EdgeLoopException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** JSON answers and the one mapping from failures to HTTP statuses. */
final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    static final String CONTENT_TYPE = "content-type";
    static final String APPLICATION_JSON = "application/json";

    private Responses() {
    }

    static void json(RoutingContext ctx, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            fail(ctx, e);
            return;
        }
        send(ctx, status, bytes);
    }

    static void send(RoutingContext ctx, int status, byte[] bytes) {
        send(ctx, status, bytes, APPLICATION_JSON);
    }

    static void send(RoutingContext ctx, int status, byte[] bytes, String contentType) {
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(status).putHeader(CONTENT_TYPE, contentType).end(Buffer.buffer(bytes));
    }

    static void error(RoutingContext ctx, int status, String message) {
        send(ctx, status, InferResponseWriter.error(message));
    }

    /** Bad input answers 4xx; only the agent's own faults answer 5xx. */
    static void fail(RoutingContext ctx, Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof BadRequestException bad) {
            error(ctx, bad.status(), bad.getMessage());
        } else if (e instanceof EdgeLoopException el) {
            error(ctx, status(el), el.getMessage());
        } else if (e instanceof IllegalArgumentException iae) {
            error(ctx, 400, iae.getMessage());
        } else {
            LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), e);
            error(ctx, 500, "internal error: " + e);
        }
    }

    static int status(EdgeLoopException e) {
        return switch (e.code()) {
            case MODEL_NOT_FOUND -> 404;
            case INFERENCE_INPUT_INVALID, INVALID_ARGUMENT, MALFORMED_MESSAGE, PACKAGE_UNREADABLE,
                 PACKAGE_SIGNATURE_MISSING, PACKAGE_SIGNATURE_INVALID, PACKAGE_KEY_MISMATCH, PACKAGE_HASH_MISMATCH,
                 PACKAGE_UNSAFE_PATH, PACKAGE_DUPLICATE_ENTRY, PACKAGE_ENTRY_TOO_LARGE, PACKAGE_UNKNOWN_ENTRY,
                 PACKAGE_MISSING_ENTRY, PACKAGE_FORMAT_UNSUPPORTED, PACKAGE_MANIFEST_INVALID,
                 PACKAGE_NO_COMPATIBLE_VARIANT, MODEL_INVALID -> 400;
            case INSTALL_FAILED, ACTIVATION_FAILED -> 409;
            case ENGINE_UNAVAILABLE -> 501;
            case INFERENCE_FAILED -> e.getMessage().contains("queue is full") ? 503 : 500;
            default -> 500;
        };
    }
}
