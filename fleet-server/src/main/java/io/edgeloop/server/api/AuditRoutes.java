package io.edgeloop.server.api;

import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.audit.AuditQuery;
import io.edgeloop.server.access.Role;
import io.vertx.core.http.HttpMethod;

/** {@code GET /api/v1/audit?target=&actor=&since=&limit=} (admin). */
public final class AuditRoutes {
    private final AuditLog audit;

    public AuditRoutes(AuditLog audit) {
        this.audit = audit;
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.GET, "/api/v1/audit", Role.ADMIN, (ctx, actor) -> HttpReplies.json(ctx, 200,
                audit.query(AuditQuery.parse(ApiRouter.query(ctx, "target"), ApiRouter.query(ctx, "actor"),
                        ApiRouter.query(ctx, "since"), ApiRouter.query(ctx, "limit")))));
    }
}
