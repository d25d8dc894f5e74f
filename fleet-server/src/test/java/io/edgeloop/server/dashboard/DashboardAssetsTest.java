package io.edgeloop.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.fixtures.ApiClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files are served without a token (ECharts from its webjar); its data is not. */
class DashboardAssetsTest {
    @Test
    void filesWithoutTokenDataWithOne(@TempDir Path dir) throws Exception {
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0),
                FleetServer.Plugins.defaults().withMqtt())) {
            ApiClient api = new ApiClient(server.httpPort());
            HttpResponse<String> page = api.http().send(api.request(DashboardAssets.PATH, null).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
            assertTrue(page.body().contains("<script src=\"lib/echarts.min.js\"></script>"), page.body());

            ApiClient.Reply echarts = api.get(DashboardAssets.ECHARTS_PATH, null);
            assertEquals(200, echarts.status());
            assertTrue(echarts.body().length() > 500_000 && echarts.body().contains("echarts"), "the minified bundle");
            assertTrue(DashboardAssets.echartsResource().orElseThrow().contains("/webjars/echarts/"));
            assertEquals(200, api.get(DashboardAssets.PATH + "dashboard.js", null).status());
            assertEquals(200, api.get(DashboardAssets.PATH + "dashboard.css", null).status());

            HttpResponse<Void> bare = api.http().send(api.request("/dashboard", null).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(301, bare.statusCode());
            assertEquals(DashboardAssets.PATH, bare.headers().firstValue("Location").orElse(""));

            assertEquals(401, api.get("/api/v1/telemetry/devices", null).status());
            assertEquals(401, api.get("/api/v1/telemetry/drift-series", null).status());
            String admin = java.nio.file.Files.readString(server.adminTokenFile()).strip();
            ApiClient.Reply overview = api.get("/api/v1/telemetry/devices", admin);
            assertEquals(200, overview.status(), overview.body());
            assertEquals(0, overview.json().get("summary").get("devices").asInt());
            assertEquals(400, api.get("/api/v1/telemetry/drift-series?bucketSeconds=0", admin).status());
            assertEquals(400, api.get("/api/v1/telemetry/drift-series?since=yesterday", admin).status());
            assertEquals(0, api.get("/api/v1/telemetry/drift-series", admin).json().get("series").size());
        }
    }
}
