package io.edgeloop.agent.api;

import io.edgeloop.agent.drift.DriftMonitor;
import io.edgeloop.agent.health.HealthMonitor;
import io.edgeloop.agent.serving.ModelRegistry;
import io.edgeloop.agent.store.ModelDescriptor;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Agent operations beyond KServe v2, under {@code /v2/agent} and {@code /v2/models/{name}/drift}:
 * health snapshot, drift report, package upload, activate, rollback and shadow. Meant for the local operator and
 * tests; in a fleet the same operations arrive as MQTT commands. The operations that change what
 * the agent serves answer loopback callers only, or callers that present the configured local
 * admin token, whatever interface the API listens on; others get 403 ADMIN_LOCAL_ONLY.
 */
public final class AdminApi {
    /** Package uploads: {@code POST} the {@code .elpkg} bytes; {@code ?activate=true} activates it too. */
    public static final String PACKAGES_PATH = "/v2/agent/packages";

    private final Vertx vertx;
    private final ModelRegistry registry;
    private final HealthMonitor health;
    private final PackageUpload upload;
    private final byte[] adminToken;

    /** Installs an uploaded artifact (written to a file first); returns what was installed. */
    @FunctionalInterface
    public interface PackageUpload {
        ModelDescriptor install(byte[] body) throws EdgeLoopException;
    }

    public AdminApi(Vertx vertx, ModelRegistry registry, HealthMonitor health, PackageUpload upload, ApiOptions options) {
        this.vertx = vertx;
        this.registry = registry;
        this.health = health;
        this.upload = upload;
        this.adminToken = options.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    public void mount(Router router) {
        router.post("/v2/agent/*").handler(this::localOrToken);
        router.delete("/v2/agent/*").handler(this::localOrToken);
        router.get("/v2/agent/health").handler(ctx -> Responses.json(ctx, 200, health.snapshot()));
        router.get("/v2/models/:name/drift").handler(this::drift);
        router.post("/v2/agent/models/:name/versions/:version/activate").handler(ctx -> blocking(ctx, () -> {
            registry.activate(ctx.pathParam("name"), ctx.pathParam("version"));
            return Map.of("active", ctx.pathParam("version"));
        }));
        router.post(PACKAGES_PATH).handler(ctx -> blocking(ctx, () -> {
            byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
            ModelDescriptor d = upload.install(body);
            if ("true".equals(ctx.request().getParam("activate"))) {
                registry.activate(d.name(), d.version());
            }
            return Map.of("name", d.name(), "version", d.version(), "variant", d.variant());
        }));
        // The explicit way back: ?version=V returns to that installed version, older or not;
        // without it, to the previous one. Activate refuses versions below the highest installed.
        router.post("/v2/agent/models/:name/rollback").handler(ctx -> blocking(ctx, () -> {
            String version = ctx.request().getParam("version");
            if (version == null || version.isEmpty()) {
                return Map.of("active", registry.rollback(ctx.pathParam("name")));
            }
            registry.rollbackTo(ctx.pathParam("name"), version);
            return Map.of("active", version);
        }));
        router.post("/v2/agent/models/:name/versions/:version/shadow").handler(ctx -> blocking(ctx, () -> {
            registry.shadow(ctx.pathParam("name"), ctx.pathParam("version"));
            return Map.of("shadow", ctx.pathParam("version"));
        }));
        router.delete("/v2/agent/models/:name/shadow").handler(ctx -> blocking(ctx, () -> {
            registry.stopShadow(ctx.pathParam("name"));
            return Map.of("shadow", "none");
        }));
    }

    /** Lets loopback callers and holders of the admin token through; refuses everyone else. */
    private void localOrToken(RoutingContext ctx) {
        if (isLoopback(ctx.request().remoteAddress()) || presentsToken(ctx.request().getHeader("Authorization"))) {
            ctx.next();
            return;
        }
        Responses.error(ctx, ErrorCode.ADMIN_LOCAL_ONLY, "the agent's administrative endpoints answer local callers only"
                + " (or 'Authorization: Bearer TOKEN' with http.adminToken set); " + ctx.request().method() + " "
                + ctx.request().path() + " came from " + ctx.request().remoteAddress().hostAddress());
    }

    private static boolean isLoopback(SocketAddress remote) {
        if (remote == null || remote.hostAddress() == null) {
            return false;
        }
        try {
            // An IP literal: no name lookup happens.
            return InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private boolean presentsToken(String header) {
        if (adminToken.length == 0 || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(adminToken, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    /** The last full window's report; {@code ?flush=true} closes the current window first. */
    private void drift(RoutingContext ctx) {
        try {
            DriftMonitor monitor = registry.get(ctx.pathParam("name"), null).drift();
            if (monitor == null) {
                Responses.error(ctx, ErrorCode.DRIFT_BASELINE_MISSING, "model '" + ctx.pathParam("name")
                        + "' has no drift baseline");
                return;
            }
            if ("true".equals(ctx.request().getParam("flush"))) {
                monitor.flush();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("last", monitor.last().orElse(null));
            body.put("current", monitor.current().orElse(null));
            Responses.json(ctx, 200, body);
        } catch (EdgeLoopException e) {
            Responses.fail(ctx, e);
        }
    }

    private void blocking(RoutingContext ctx, Callable<Object> action) {
        vertx.executeBlocking(action).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.json(ctx, 200, ar.result());
            } else {
                Responses.fail(ctx, ar.cause());
            }
        });
    }
}
