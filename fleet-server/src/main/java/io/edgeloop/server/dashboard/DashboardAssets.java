package io.edgeloop.server.dashboard;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The dashboard's static files at {@code /dashboard/}: the page, its script and style from this
 * jar's {@code dashboard/} resources, and Apache ECharts from its webjar at
 * {@code /dashboard/lib/echarts.min.js}. They are served without a token; the page asks for one
 * and sends it with every API call, so no data leaves without it. Files are read once at start.
 */
public final class DashboardAssets {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DashboardAssets.class);
    public static final String PATH = "/dashboard/";
    public static final String ECHARTS_PATH = PATH + "lib/echarts.min.js";
    private static final String RESOURCES = "/dashboard/";
    private static final String ECHARTS_POM = "/META-INF/maven/org.webjars.npm/echarts/pom.properties";
    /** Scripts and styles from this server only: no CDN, no inline script. ECharts sets inline styles. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    private record Asset(String contentType, byte[] bytes, boolean immutable) {
    }

    private DashboardAssets() {
    }

    public static void mount(Router router) {
        Map<String, Asset> assets = new LinkedHashMap<>();
        assets.put(PATH, new Asset("text/html; charset=utf-8", resource(RESOURCES + "index.html"), false));
        assets.put(PATH + "dashboard.js", new Asset("text/javascript; charset=utf-8", resource(RESOURCES + "dashboard.js"), false));
        assets.put(PATH + "dashboard.css", new Asset("text/css; charset=utf-8", resource(RESOURCES + "dashboard.css"), false));
        // Without the webjar (a classpath put together by hand) the server still starts; the page says
        // its charts cannot load, and everything else works.
        Optional<String> echarts = echartsResource();
        if (echarts.isPresent()) {
            assets.put(ECHARTS_PATH, new Asset("text/javascript; charset=utf-8", resource(echarts.get()), true));
        } else {
            LOG.warn("the ECharts webjar (org.webjars.npm:echarts) is not on the classpath: the dashboard has no charts");
        }
        // Vert.x matches "/dashboard" with and without its trailing slash: only the bare one moves.
        router.get("/dashboard").handler(ctx -> {
            if (ctx.request().path().equals("/dashboard")) {
                ctx.response().setStatusCode(301).putHeader("Location", PATH).end();
            } else {
                ctx.next();
            }
        });
        assets.forEach((path, asset) -> router.get(path).handler(ctx -> serve(ctx, asset)));
    }

    /** Where the webjar on the classpath keeps the minified bundle (its version from the webjar's pom.properties). */
    static Optional<String> echartsResource() {
        Properties pom = new Properties();
        try (InputStream in = DashboardAssets.class.getResourceAsStream(ECHARTS_POM)) {
            if (in == null) {
                return Optional.empty();
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String bundle = "/META-INF/resources/webjars/echarts/" + pom.getProperty("version") + "/dist/echarts.min.js";
        return DashboardAssets.class.getResource(bundle) == null ? Optional.empty() : Optional.of(bundle);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void serve(RoutingContext ctx, Asset asset) {
        ctx.response().putHeader("Content-Type", asset.contentType())
                .putHeader("Cache-Control", asset.immutable() ? "public, max-age=3600" : "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                // A fresh Buffer per answer (see OpenApiDocument).
                .end(Buffer.buffer(asset.bytes()));
    }
}
