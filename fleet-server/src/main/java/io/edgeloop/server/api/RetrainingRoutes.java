package io.edgeloop.server.api;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.retraining.Retraining;
import io.vertx.core.http.HttpMethod;

/**
 * {@code /api/v1/retraining}: policies per model (PUT operator, GET viewer), evaluate now
 * (operator; {@code ?dryRun=true|false} overrides the policy's), decisions newest first and one
 * by id (viewer); and {@code GET /api/v1/models/{name}/versions/{v}/lineage} (viewer).
 */
public final class RetrainingRoutes {
    private final Retraining retraining;

    public RetrainingRoutes(Retraining retraining) {
        this.retraining = retraining;
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.GET, "/api/v1/retraining/policies", Role.VIEWER,
                (ctx, actor) -> HttpReplies.json(ctx, 200, retraining.service().policies()));
        api.route(HttpMethod.PUT, "/api/v1/retraining/policies/:model", Role.OPERATOR, (ctx, actor) ->
                HttpReplies.json(ctx, 200, retraining.service().putPolicy(actor, ctx.pathParam("model"), HttpReplies.body(ctx))));
        api.route(HttpMethod.GET, "/api/v1/retraining/policies/:model", Role.VIEWER,
                (ctx, actor) -> HttpReplies.json(ctx, 200, retraining.service().policy(ctx.pathParam("model"))));
        api.route(HttpMethod.POST, "/api/v1/retraining/:model/evaluate", Role.OPERATOR, (ctx, actor) ->
                HttpReplies.json(ctx, 200, retraining.service().evaluate(actor, ctx.pathParam("model"),
                        bool(ApiRouter.query(ctx, "dryRun")))));
        api.route(HttpMethod.GET, "/api/v1/retraining/decisions", Role.VIEWER, (ctx, actor) ->
                HttpReplies.json(ctx, 200, retraining.service().decisions(ApiRouter.query(ctx, "model"),
                        limit(ApiRouter.query(ctx, "limit")))));
        api.route(HttpMethod.GET, "/api/v1/retraining/decisions/:id", Role.VIEWER,
                (ctx, actor) -> HttpReplies.json(ctx, 200, retraining.service().decision(ctx.pathParam("id"))));
        api.route(HttpMethod.GET, "/api/v1/models/:name/versions/:version/lineage", Role.VIEWER, (ctx, actor) ->
                HttpReplies.json(ctx, 200, retraining.lineage().of(ctx.pathParam("name"),
                        PublishRoutes.version(ctx.pathParam("version")))));
    }

    private static Boolean bool(String text) throws EdgeLoopException {
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "dryRun must be true or false, not '"
                    + text + "'");
        };
    }

    private static int limit(String text) throws EdgeLoopException {
        if (text == null) {
            return 100;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "limit must be a number, not '" + text + "'");
        }
    }
}
