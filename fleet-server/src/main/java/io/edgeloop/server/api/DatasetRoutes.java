package io.edgeloop.server.api;

import io.edgeloop.packager.data.PiiHasher;
import io.edgeloop.packager.data.PiiRules;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.datasets.DatasetImport;
import io.edgeloop.server.datasets.DatasetStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/v1/datasets}: CSV import through PII rules (operator; streamed, mount
 * {@link #mountStreaming} before the body handler), list and read (viewer).
 */
public final class DatasetRoutes {
    public static final long DEFAULT_MAX_DATASET_BYTES = 256L << 20;

    private final DatasetStore store;
    private final PiiHasher hasher;
    private final long maxBytes;

    public DatasetRoutes(DatasetStore store, PiiHasher hasher, long maxBytes) {
        this.store = store;
        this.hasher = hasher;
        this.maxBytes = maxBytes;
    }

    public void mountStreaming(ApiRouter api) {
        DatasetUpload upload = new DatasetUpload(api.vertx(), store, hasher, maxBytes);
        api.router().post("/api/v1/datasets")
                .handler(ctx -> {
                    ctx.request().pause();
                    ctx.next();
                })
                .handler(api.authenticate(Role.OPERATOR))
                .handler(ctx -> {
                    DatasetImport request;
                    try {
                        request = request(ctx);
                    } catch (EdgeLoopException e) {
                        DatasetUpload.drainAndFail(ctx, e);
                        return;
                    }
                    upload.handle(ctx, request);
                });
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.GET, "/api/v1/datasets", Role.VIEWER, (ctx, actor) -> HttpReplies.json(ctx, 200, store.list()));
        api.route(HttpMethod.GET, "/api/v1/datasets/:name", Role.VIEWER, (ctx, actor) ->
                HttpReplies.json(ctx, 200, store.get(ctx.pathParam("name"))));
    }

    private static DatasetImport request(RoutingContext ctx) throws EdgeLoopException {
        return DatasetImport.of(ApiRouter.query(ctx, "name"), ApiRouter.query(ctx, "label"), ApiRouter.query(ctx, "task"),
                ApiRouter.query(ctx, "group"), PiiRules.parse(ctx.queryParams().getAll("pii")));
    }
}
