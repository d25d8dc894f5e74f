package io.edgeloop.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.CodedFailure;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.ErrorResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The server's Vert.x glue of {@link ErrorResponse}: every error answer, from a route or from the
 * router itself (no route, wrong method, body too large), has the status of its code and the body
 * {@code {"error": sentence, "code": CODE}}, the same shape the agent answers.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpErrors() {
    }

    /** JSON error answers for what the router refuses before any route runs. */
    public static void mount(Router router) {
        router.errorHandler(404, ctx -> reply(ctx, ErrorResponse.of(ErrorCode.NOT_FOUND, "no such endpoint: "
                + ctx.request().method() + " " + ctx.request().path())));
        router.errorHandler(405, ctx -> reply(ctx, ErrorResponse.of(ErrorCode.METHOD_NOT_ALLOWED, "method "
                + ctx.request().method() + " is not allowed on " + ctx.request().path())));
        router.errorHandler(413, ctx -> reply(ctx, ErrorResponse.of(ErrorCode.REQUEST_TOO_LARGE,
                "the request body is too large")));
        router.errorHandler(400, ctx -> reply(ctx, ctx.failure() instanceof CodedFailure
                ? ErrorResponse.of(ctx.failure())
                : ErrorResponse.of(ErrorCode.INVALID_ARGUMENT, ctx.failure() == null ? "bad request"
                : "bad request: " + ctx.failure().getMessage())));
        router.errorHandler(500, ctx -> fail(ctx, ctx.failure() == null
                ? new IllegalStateException("unknown failure") : ctx.failure()));
    }

    /** Answers any failure; one without a code is logged with its stack and answers INTERNAL. */
    public static void fail(RoutingContext ctx, Throwable failure) {
        ErrorResponse answer = ErrorResponse.of(failure);
        if (!answer.expected()) {
            LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), ErrorResponse.unwrap(failure));
        }
        reply(ctx, answer);
    }

    /** Answers {@code answer}, with {@code extra} fields after {@code error} and {@code code}. */
    public static void reply(RoutingContext ctx, ErrorResponse answer, Map<String, Object> extra) {
        Map<String, Object> body = answer.body();
        body.putAll(extra);
        try {
            send(ctx, answer.status(), JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            fail(ctx, e);
        }
    }

    private static void reply(RoutingContext ctx, ErrorResponse answer) {
        send(ctx, answer.status(), answer.json());
    }

    private static void send(RoutingContext ctx, int status, byte[] json) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(json));
    }
}
