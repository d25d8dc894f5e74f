package io.edgeloop.agent.api;

import io.edgeloop.protocol.CodedFailure;
import io.edgeloop.protocol.ErrorCode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's HTTP server: body limit, the KServe v2 and admin routes, {@code /metrics}, and JSON
 * error answers for everything the router itself refuses (404, 405, 413), so no bad request ever
 * sees an HTML page or a 5xx. One listener runs on each event loop, sharing the port: Vert.x
 * hands connections to them in turn, so parsing and answering use every loop, not just one.
 */
public final class HttpApiServer implements AutoCloseable {
    static final long MAX_PACKAGE_BYTES = 512L * 1024 * 1024;

    private final Vertx vertx;
    private final List<String> deployments = new ArrayList<>();
    /** Ports held by the servers of each Vert.x instance (a shared one serves many agents). */
    private static final Map<Vertx, Set<Integer>> CLAIMS = new WeakHashMap<>();
    private final int port;
    private int claimed;

    /** Starts {@code listeners} listeners (one per event loop) on the routes of {@code kserve} and {@code admin}. */
    public HttpApiServer(Vertx vertx, ApiOptions options, int listeners, KServeApi kserve, AdminApi admin,
                         PrometheusMeterRegistry metrics) throws InterruptedException, ExecutionException, TimeoutException {
        this.vertx = vertx;
        Router router = Router.router(vertx);
        // curl -d sends application/x-www-form-urlencoded, and the body handler would then decode
        // the JSON as a form and refuse it (or, on a path that does not exist, answer 400 for the
        // form instead of 404 for the path). No agent endpoint takes a form: bodies are JSON, binary
        // tensor data or a package, so every form is read as the bytes it carries.
        router.route().handler(ctx -> {
            String type = ctx.request().getHeader(Responses.CONTENT_TYPE);
            if (type != null && isForm(type)) {
                ctx.request().headers().set(Responses.CONTENT_TYPE, Responses.APPLICATION_JSON);
            }
            ctx.next();
        });
        // Inference bodies are small and limited; package uploads get their own, larger limit.
        router.route(AdminApi.PACKAGES_PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_PACKAGE_BYTES)
                .setHandleFileUploads(false));
        router.routeWithRegex("^(?!" + AdminApi.PACKAGES_PATH + "$).*").handler(BodyHandler.create(false)
                .setBodyLimit(options.bodyLimitBytes()).setHandleFileUploads(false));
        kserve.mount(router);
        admin.mount(router);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader(Responses.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        router.errorHandler(404, ctx -> Responses.error(ctx, ErrorCode.NOT_FOUND, "no such endpoint: "
                + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(405, ctx -> Responses.error(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method "
                + ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(413, ctx -> Responses.error(ctx, ErrorCode.REQUEST_TOO_LARGE, "the request body is larger than "
                + options.bodyLimitBytes() + " bytes"));
        router.errorHandler(400, ctx -> {
            if (ctx.failure() instanceof CodedFailure) {
                Responses.fail(ctx, ctx.failure());
            } else {
                Responses.error(ctx, ErrorCode.INVALID_ARGUMENT, ctx.failure() == null ? "bad request"
                        : "bad request: " + ctx.failure().getMessage());
            }
        });
        router.errorHandler(500, ctx -> Responses.fail(ctx, ctx.failure() == null
                ? new IllegalStateException("unknown failure") : ctx.failure()));
        HttpServerOptions serverOptions = new HttpServerOptions().setHost(options.host()).setPort(options.port())
                .setTcpNoDelay(true).setMaxInitialLineLength(8192).setMaxHeaderSize(16384)
                .setDecompressionSupported(false);
        try {
            this.port = listen(serverOptions, router, listeners);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            // A Vert.x shared with other agents stays up: undeploy what this server did start.
            close();
            throw e;
        }
    }

    /**
     * Deploys the listeners on one port and returns it. Vert.x shares a port among all servers of
     * one Vert.x instance that listen on it (and one free port among all that listen on -1): this
     * server's listeners share its port on purpose, but an agent beside it on a shared Vert.x must
     * never take requests for this one. So each port is claimed per Vert.x, and port 0 becomes a
     * free port chosen here (retried if another process takes it first).
     */
    private int listen(HttpServerOptions serverOptions, Router router, int listeners)
            throws InterruptedException, ExecutionException, TimeoutException {
        int wanted = serverOptions.getPort();
        for (int attempt = 1; ; attempt++) {
            int candidate = wanted != 0 ? wanted : freePort(serverOptions.getHost());
            HttpServerOptions bound = new HttpServerOptions(serverOptions).setPort(candidate);
            try {
                claim(candidate);
                for (int i = 0; i < listeners; i++) {
                    Listener listener = new Listener(bound, router);
                    deployments.add(await(vertx.deployVerticle(listener)));
                    if (listener.port != candidate) {
                        throw new IllegalStateException("HTTP listener bound " + listener.port + ", not " + candidate);
                    }
                }
                return candidate;
            } catch (ExecutionException | RuntimeException e) {
                if (wanted != 0 || attempt == 5) {
                    throw e;
                }
                close();
            }
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on " + host + ": " + e.getMessage(), e);
        }
    }

    /** Claims {@code port} on this server's Vert.x; refused when another server here holds it. */
    private void claim(int port) {
        synchronized (CLAIMS) {
            if (!CLAIMS.computeIfAbsent(vertx, v -> new HashSet<>()).add(port)) {
                throw new UncheckedIOException(new PortClaimedException(port));
            }
            claimed = port;
        }
    }

    /** A port this server's Vert.x already serves for another agent (Vert.x itself would share it). */
    public static final class PortClaimedException extends BindException {
        PortClaimedException(int port) {
            super("port " + port + " is already served by another agent on this Vert.x");
        }
    }

    private void release() {
        synchronized (CLAIMS) {
            Set<Integer> ports = CLAIMS.get(vertx);
            if (ports != null && claimed > 0) {
                ports.remove(claimed);
            }
            claimed = 0;
        }
    }

    private static boolean isForm(String contentType) {
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/");
    }

    private static <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** One HTTP server on the event loop of its own verticle context. */
    private static final class Listener extends VerticleBase {
        private final HttpServerOptions options;
        private final Router router;
        private volatile int port;

        Listener(HttpServerOptions options, Router router) {
            this.options = options;
            this.router = router;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> port = s.actualPort());
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        release();
        try {
            for (String id : deployments) {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            deployments.clear();
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
