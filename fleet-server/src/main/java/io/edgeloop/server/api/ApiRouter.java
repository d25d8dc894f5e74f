package io.edgeloop.server.api;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.auth.ApiTokens;
import io.edgeloop.server.access.Role;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * Mounts the fleet API's routes on a Vert.x router: each route names the least role it needs,
 * the bearer token is checked before the action, and actions (JDBC, files) run off the event
 * loop. Failures answer {@code {"error", "code"}} with the code's status.
 */
public final class ApiRouter {
    private static final String ACTOR = "edgeloop.actor";

    private final Vertx vertx;
    private final Router router;
    private final ApiTokens tokens;

    /** What a route does once its caller is known; runs on a worker thread. */
    public interface Action {
        void run(RoutingContext ctx, Actor actor) throws Exception;
    }

    public ApiRouter(Vertx vertx, Router router, ApiTokens tokens) {
        this.vertx = vertx;
        this.router = router;
        this.tokens = tokens;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Router router() {
        return router;
    }

    /** A route for callers with a bearer token of at least {@code role}. */
    public void route(HttpMethod method, String path, Role role, Action action) {
        router.route(method, path).handler(authenticate(role)).handler(ctx -> blocking(ctx, () -> action.run(ctx, actor(ctx))));
    }

    /** A route without a bearer token (the enrolment exchange carries its own credential). */
    public void open(HttpMethod method, String path, Action action) {
        router.route(method, path).handler(ctx -> blocking(ctx, () -> action.run(ctx, null)));
    }

    /**
     * Checks the bearer token and stores its actor on the context; 401 without a valid token,
     * 403 when its role is below {@code role}.
     */
    public Handler<RoutingContext> authenticate(Role role) {
        return ctx -> {
            String header = ctx.request().getHeader("Authorization");
            String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).strip() : null;
            vertx.executeBlocking(() -> tokens.authenticate(presented), false).onComplete(result -> {
                if (result.failed()) {
                    HttpReplies.failure(ctx, result.cause());
                    return;
                }
                Optional<Actor> actor = result.result();
                if (actor.isEmpty() || !actor.get().role().includes(role)) {
                    // A paused upload's body is read and dropped, so the client gets the answer; a
                    // request already read to its end (a GET) cannot be resumed and needs nothing.
                    if (!ctx.request().isEnded()) {
                        ctx.request().resume();
                    }
                }
                if (actor.isEmpty()) {
                    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"edgeloop\"");
                    HttpReplies.error(ctx, new EdgeLoopException(ErrorCode.AUTHENTICATION_REQUIRED, presented == null
                            ? "the request has no 'Authorization: Bearer TOKEN' header"
                            : "the bearer token is unknown or revoked"));
                } else if (!actor.get().role().includes(role)) {
                    HttpReplies.error(ctx, new EdgeLoopException(ErrorCode.PERMISSION_DENIED, "the token '"
                            + actor.get().name() + "' has the role " + actor.get().role().wireName() + "; "
                            + ctx.request().method() + " " + ctx.request().path() + " needs " + role.wireName()));
                } else {
                    ctx.put(ACTOR, actor.get());
                    ctx.next();
                }
            });
        };
    }

    public static Actor actor(RoutingContext ctx) {
        return ctx.get(ACTOR);
    }

    /** Work that may block, with failures mapped to error answers. */
    public interface Blocking {
        void run() throws Exception;
    }

    public void blocking(RoutingContext ctx, Blocking work) {
        vertx.executeBlocking(() -> {
            work.run();
            return null;
        }, false).onFailure(t -> HttpReplies.failure(ctx, t));
    }

    /** A query parameter, or null. */
    public static String query(RoutingContext ctx, String name) {
        return ctx.queryParams().get(name);
    }
}
