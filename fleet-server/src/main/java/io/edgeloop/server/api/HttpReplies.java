package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** JSON answers of the fleet API: values, and errors through {@link HttpErrors} ({@code {"error", "code"}}). */
public final class HttpReplies {
    private static final Logger LOG = LoggerFactory.getLogger(HttpReplies.class);
    public static final ObjectMapper JSON = new ObjectMapper();

    private HttpReplies() {
    }

    public static void json(RoutingContext ctx, int status, Object value) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        String text;
        try {
            text = JSON.writeValueAsString(value);
        } catch (Exception e) {
            LOG.error("cannot serialise the answer to {} {}", ctx.request().method(), ctx.request().path(), e);
            status = 500;
            text = "{\"error\":\"cannot serialise the answer\",\"code\":\"INTERNAL\"}";
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }

    public static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }

    public static void error(RoutingContext ctx, EdgeLoopException e) {
        HttpErrors.fail(ctx, e);
    }

    /** Any failure: a coded one with its code and status, anything else as INTERNAL (logged). */
    public static void failure(RoutingContext ctx, Throwable t) {
        HttpErrors.fail(ctx, t);
    }

    /** The request's JSON object body; an empty object when there is none. */
    public static JsonNode body(RoutingContext ctx) throws EdgeLoopException {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (!node.isObject()) {
                throw new EdgeLoopException(ErrorCode.MALFORMED_MESSAGE, "the request body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new EdgeLoopException(ErrorCode.MALFORMED_MESSAGE, "the request body is not JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** A required text field of a JSON body. */
    public static String requiredText(JsonNode body, String field) throws EdgeLoopException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || !v.isTextual() || v.asText().isEmpty()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the request body needs the text field '" + field + "'");
        }
        return v.asText();
    }

    /** An optional text field; null when absent. */
    public static String optionalText(JsonNode body, String field) throws EdgeLoopException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "'" + field + "' must be a string");
        }
        return v.asText();
    }
}
