package io.edgeloop.agent.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's HTTP server: body limit, the KServe v2 and admin routes, {@code /metrics}, and JSON
 * error answers for everything the router itself refuses (404, 405, 413), so no bad request ever
 * sees an HTML page or a 5xx.
 */
public final class HttpApiServer implements AutoCloseable {
    static final long MAX_PACKAGE_BYTES = 512L * 1024 * 1024;

    private final Vertx vertx;
    private final HttpServer server;

    public HttpApiServer(Vertx vertx, ApiOptions options, KServeApi kserve, AdminApi admin,
                         PrometheusMeterRegistry metrics) throws InterruptedException, ExecutionException, TimeoutException {
        this.vertx = vertx;
        Router router = Router.router(vertx);
        // Inference bodies are small and limited; package uploads get their own, larger limit.
        router.route(AdminApi.PACKAGES_PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_PACKAGE_BYTES)
                .setHandleFileUploads(false));
        router.routeWithRegex("^(?!" + AdminApi.PACKAGES_PATH + "$).*").handler(BodyHandler.create(false)
                .setBodyLimit(options.bodyLimitBytes()).setHandleFileUploads(false));
        kserve.mount(router);
        admin.mount(router);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader(Responses.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        router.errorHandler(404, ctx -> Responses.error(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
                + ctx.request().path()));
        router.errorHandler(405, ctx -> Responses.error(ctx, 405, "method " + ctx.request().method()
                + " is not allowed on " + ctx.request().path()));
        router.errorHandler(413, ctx -> Responses.error(ctx, 413, "the request body is larger than "
                + options.bodyLimitBytes() + " bytes"));
        router.errorHandler(400, ctx -> Responses.error(ctx, 400, "bad request"));
        router.errorHandler(500, ctx -> Responses.fail(ctx, ctx.failure() == null
                ? new IllegalStateException("unknown failure") : ctx.failure()));
        HttpServerOptions serverOptions = new HttpServerOptions().setHost(options.host()).setPort(options.port())
                .setTcpNoDelay(true).setMaxInitialLineLength(8192).setMaxHeaderSize(16384)
                .setDecompressionSupported(false);
        this.server = vertx.createHttpServer(serverOptions).requestHandler(router)
                .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the process is exiting anyway
        }
    }

    public Vertx vertx() {
        return vertx;
    }
}
