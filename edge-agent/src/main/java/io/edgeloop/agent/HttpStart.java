package io.edgeloop.agent;

import io.edgeloop.agent.api.AdminApi;
import io.edgeloop.agent.api.ApiOptions;
import io.edgeloop.agent.api.HttpApiServer;
import io.edgeloop.agent.api.KServeApi;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.ErrorResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The agent's HTTP server started in the background (while models load), and the Vert.x it runs on. */
final class HttpStart {
    private static final Logger LOG = LoggerFactory.getLogger(HttpStart.class);
    /** One listener per event loop, at most two: the agent's HTTP work never needs more on a device. */
    static final int LISTENERS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    private final CompletableFuture<HttpApiServer> listening;

    private HttpStart(CompletableFuture<HttpApiServer> listening) {
        this.listening = listening;
    }

    /** A Vert.x of the agent's own, for an agent not given one. */
    static Vertx newVertx() {
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LISTENERS));
    }

    static void close(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("vert.x close: {}", e.toString());
        }
    }

    static HttpStart begin(Vertx vertx, ApiOptions options, KServeApi kserve, AdminApi admin, PrometheusMeterRegistry metrics) {
        return new HttpStart(CompletableFuture.supplyAsync(() -> {
            try {
                return new HttpApiServer(vertx, options, LISTENERS, kserve, admin, metrics);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }));
    }

    /** The listening server; a server that comes up after a timeout here is closed then. */
    HttpApiServer await(int port) throws EdgeLoopException {
        try {
            return listening.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listening.thenAccept(HttpApiServer::close);
            throw new EdgeLoopException(ErrorCode.INTERNAL, "interrupted while starting the HTTP server", e);
        } catch (TimeoutException e) {
            listening.thenAccept(HttpApiServer::close);
            throw new EdgeLoopException(ErrorCode.INTERNAL, "the HTTP server did not start within 60 s", e);
        } catch (ExecutionException e) {
            Throwable cause = ErrorResponse.unwrap(e);
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof BindException bind) {
                    throw new EdgeLoopException(ErrorCode.PORT_IN_USE, "cannot listen on HTTP port " + port
                            + ": it is in use" + (bind instanceof HttpApiServer.PortClaimedException ? " by another agent"
                            + " in this process" : "") + " (pass --http-port N, or 0 for any free port)", cause);
                }
            }
            throw new EdgeLoopException(ErrorCode.INTERNAL, "the HTTP server could not start: " + cause, cause);
        }
    }
}
