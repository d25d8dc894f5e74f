package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.fixtures.ApiClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI file and the router agree: every route is documented and every documented operation is routed. */
class OpenApiRoutesTest {
    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void documentedOperationsEqualTheRoutes(@TempDir Path dir) throws Exception {
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0),
                FleetServer.Plugins.defaults().withMqtt())) {
            Set<String> routed = new TreeSet<>();
            for (Route route : server.router().getRoutes()) {
                String path = route.getPath();
                if (path == null || !path.startsWith("/api/v1/") || route.methods() == null || route.methods().isEmpty()) {
                    continue;
                }
                for (HttpMethod m : route.methods()) {
                    routed.add(m.name() + " " + path.substring("/api/v1".length()).replaceAll(":([A-Za-z0-9_]+)", "{$1}"));
                }
            }
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(OpenApiDocument.bytes());
            assertEquals("http://localhost:8090/api/v1", doc.get("servers").get(0).get("url").asText());
            Set<String> documented = new TreeSet<>();
            for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
                String path = paths.next();
                for (Iterator<String> ops = doc.get("paths").get(path).fieldNames(); ops.hasNext(); ) {
                    String op = ops.next();
                    if (OPERATIONS.contains(op)) {
                        documented.add(op.toUpperCase(Locale.ROOT) + " " + path);
                    }
                }
            }
            Set<String> undocumented = new TreeSet<>(routed);
            undocumented.removeAll(documented);
            Set<String> unrouted = new TreeSet<>(documented);
            unrouted.removeAll(routed);
            assertEquals(Set.of(), undocumented, "routes missing from openapi/edgeloop.yaml");
            assertEquals(Set.of(), unrouted, "documented operations without a route");
            assertTrue(routed.contains("POST /enrol") && routed.contains("GET /packages/{sha256}/content"), routed.toString());

            ApiClient.Reply served = new ApiClient(server.httpPort()).get(OpenApiDocument.PATH, null);
            assertEquals(200, served.status());
            assertTrue(served.body().startsWith("openapi: 3."), "served without a token");
        }
    }
}
