package io.edgeloop.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.ErrorResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON answers, and the Vert.x glue of {@link ErrorResponse}: every error the agent answers has
 * the status of its code's category and the body {@code {"error": sentence, "code": CODE}}.
 */
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

    /** Answers {@code code} with a sentence about this occurrence. */
    static void error(RoutingContext ctx, ErrorCode code, String message) {
        send(ctx, ErrorResponse.of(code, message));
    }

    /** Answers any failure: bad input 4xx, the agent's own faults 5xx (logged with their stack). */
    static void fail(RoutingContext ctx, Throwable failure) {
        ErrorResponse answer = ErrorResponse.of(failure);
        if (!answer.expected()) {
            LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), ErrorResponse.unwrap(failure));
        }
        send(ctx, answer);
    }

    private static void send(RoutingContext ctx, ErrorResponse answer) {
        send(ctx, answer.status(), answer.json());
    }
}
