package io.edgeloop.server.api;

import io.edgeloop.server.access.Role;
import io.edgeloop.server.auth.ApiTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpMethod;

/** {@code /api/v1/tokens}: create, list and revoke API tokens (admin only). */
public final class TokenRoutes {
    private final ApiTokens tokens;

    public TokenRoutes(ApiTokens tokens) {
        this.tokens = tokens;
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.POST, "/api/v1/tokens", Role.ADMIN, (ctx, actor) -> {
            JsonNode body = HttpReplies.body(ctx);
            HttpReplies.json(ctx, 201, tokens.create(actor, HttpReplies.requiredText(body, "name"),
                    Role.parse(HttpReplies.requiredText(body, "role"))));
        });
        api.route(HttpMethod.GET, "/api/v1/tokens", Role.ADMIN, (ctx, actor) -> HttpReplies.json(ctx, 200, tokens.list()));
        api.route(HttpMethod.DELETE, "/api/v1/tokens/:id", Role.ADMIN,
                (ctx, actor) -> HttpReplies.json(ctx, 200, tokens.revoke(actor, ctx.pathParam("id"))));
    }
}
