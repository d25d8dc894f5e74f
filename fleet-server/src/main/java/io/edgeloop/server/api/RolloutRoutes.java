package io.edgeloop.server.api;

import io.edgeloop.server.access.Role;
import io.edgeloop.server.rollout.RolloutService;
import io.vertx.core.http.HttpMethod;

/**
 * {@code /api/v1/rollouts}: create (operator), list and read with progress per wave and per
 * device (viewer), pause, resume and cancel (operator), approve (admin).
 */
public final class RolloutRoutes {
    private final RolloutService rollouts;

    public RolloutRoutes(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.POST, "/api/v1/rollouts", Role.OPERATOR,
                (ctx, actor) -> HttpReplies.json(ctx, 201, rollouts.create(actor, HttpReplies.body(ctx))));
        api.route(HttpMethod.GET, "/api/v1/rollouts", Role.VIEWER, (ctx, actor) -> HttpReplies.json(ctx, 200, rollouts.list()));
        api.route(HttpMethod.GET, "/api/v1/rollouts/:id", Role.VIEWER,
                (ctx, actor) -> HttpReplies.json(ctx, 200, rollouts.get(ctx.pathParam("id"))));
        api.route(HttpMethod.GET, "/api/v1/rollouts/:id/executions", Role.VIEWER,
                (ctx, actor) -> HttpReplies.json(ctx, 200, rollouts.executions(ctx.pathParam("id"))));
        action(api, "pause", Role.OPERATOR, RolloutService.Action.PAUSE);
        action(api, "resume", Role.OPERATOR, RolloutService.Action.RESUME);
        action(api, "cancel", Role.OPERATOR, RolloutService.Action.CANCEL);
        action(api, "approve", Role.ADMIN, RolloutService.Action.APPROVE);
    }

    private void action(ApiRouter api, String name, Role role, RolloutService.Action action) {
        api.route(HttpMethod.POST, "/api/v1/rollouts/:id/" + name, role,
                (ctx, actor) -> HttpReplies.json(ctx, 200, rollouts.act(actor, ctx.pathParam("id"), action)));
    }
}
