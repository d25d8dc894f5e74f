package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.Agent;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.tracking.RunRecord;
import io.edgeloop.server.tracking.RunRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Chromium against the real fleet server with its MQTT half: four
 * devices registered over REST (three enrol as real in-JVM agents serving two package versions,
 * one never enrols), real inference traffic (darkened images on one device, so it drifts) whose
 * health and drift windows come in over MQTT, and two registry versions promoted through the
 * evaluation gate on the Fashion-MNIST holdout. Chromium loads {@code /dashboard/} with a viewer
 * token in the URL fragment; the rendered DOM must show every device with its presence, a chart
 * per model version, the registry's gate decisions, and no rollouts (this branch has no rollout
 * API: the page must take its 404). Screenshots land in {@code tests/target/dashboard/}.
 */
class DashboardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int WINDOW = 20;
    private static final int ROUNDS = 4;
    @TempDir
    Path dir;

    @Test
    void dashboardShowsDevicesDriftChartsRegistryAndNoRollouts() throws Exception {
        assumeTrue(HeadlessChromium.available(), "skipped: Debian's chromium is not installed at " + HeadlessChromium.BINARY
                + " (apt-get install chromium; .ci/run installs it)");
        DatasetLoader loader = DatasetLoader.fromEnvironment();
        assumeTrue(loader.fashionMnistAvailable(), "skipped: the registry's gate needs Fashion-MNIST"
                + " (apt-get install dataset-fashion-mnist)");
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path v1 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        Path v2 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(2), "fashion", "1.1.0", keys);
        float[] images = TestImages.testSet().features();
        float[] dark = darkened(images);
        Path shots = Path.of("target", "dashboard").toAbsolutePath();

        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir.resolve("server"), 0, 0),
                FleetServer.Plugins.defaults().withMqtt());
             InJvmAgents agents = new InJvmAgents()) {
            String base = "http://127.0.0.1:" + server.httpPort();
            String admin = Files.readString(server.adminTokenFile()).strip();
            String viewer = call("POST", base + "/api/v1/tokens", admin, "{\"name\":\"dashboard-it\",\"role\":\"viewer\"}")
                    .get("token").asText();

            Map<String, Path> serving = Map.of("cam-north-1", v1, "cam-north-2", v1, "cam-south-1", v2);
            Map<String, String> groups = Map.of("cam-north-1", "north", "cam-north-2", "north", "cam-south-1", "south",
                    "cam-spare", "south");
            for (String id : List.of("cam-north-1", "cam-north-2", "cam-south-1", "cam-spare")) {
                String enrolToken = call("POST", base + "/api/v1/devices", admin, "{\"deviceId\":\"" + id
                        + "\",\"group\":\"" + groups.get(id) + "\"}").get("enrolToken").asText();
                if (serving.containsKey(id)) {
                    agents.add(dir.resolve(id), id, serving.get(id), keys.publicKey(), base, enrolToken);
                }
            }
            // Rounds a second apart, so the charts have points over time; cam-north-2 sees darkened
            // images from its second round on, as if its camera changed.
            for (int round = 0; round < ROUNDS; round++) {
                for (Agent a : agents.agents) {
                    boolean shifted = a.deviceId().equals("cam-north-2") && round > 0;
                    infer(a.port(), shifted ? dark : images, round * WINDOW, WINDOW);
                }
                Thread.sleep(1000);
            }
            agents.agents.forEach(Agent::reportHealth);
            FleetTelemetryIT.waitFor(60, () -> size(base, admin, "/api/v1/devices?online=true") == 3,
                    () -> "online: " + size(base, admin, "/api/v1/devices?online=true"));
            for (String id : serving.keySet()) {
                FleetTelemetryIT.waitFor(60, () -> count(base, admin, "/api/v1/devices/" + id + "/telemetry?stream=drift") >= ROUNDS
                        && count(base, admin, "/api/v1/devices/" + id + "/telemetry?stream=health") > 0,
                        () -> id + " has not reported " + ROUNDS + " drift windows and its health yet");
            }

            // Registry: two versions of 'fashion' from recorded runs; v1 to production (no
            // production to compare with), v2 then through the gate against v1.
            Dataset holdout = loader.load("fashion-mnist:test");
            RunRepository runs = new RunRepository(server.database());
            for (int seed = 1; seed <= 2; seed++) {
                Path onnx = Files.createDirectories(dir.resolve("run-" + seed)).resolve("model.onnx");
                TestModels.randomCnn(seed).save(onnx);
                double accuracy = new OnnxHoldoutEvaluator().evaluate(onnx, holdout).accuracy();
                runs.create(new RunRecord("run-dashboard-" + seed, RunRecord.SUCCEEDED, "fashion-mnist:train", "test",
                        Map.of("seed", seed), List.of(), Map.of("onnx_test_accuracy", accuracy), Map.of("model.onnx",
                        onnx.toString()), "test", Instant.now().toString(), 0, null));
                call("POST", base + "/api/v1/models/fashion/versions", admin, "{\"runId\":\"run-dashboard-" + seed + "\"}");
            }
            call("POST", base + "/api/v1/models/fashion/versions/1/promote", admin, "{\"stage\":\"production\"}");
            String v2Gate = promote(base, admin, 2);

            // What the page reads, over REST with the viewer token.
            JsonNode overview = call("GET", base + "/api/v1/telemetry/devices", viewer, null);
            assertEquals(4, overview.get("summary").get("devices").asInt(), overview.toString());
            assertEquals(3, overview.get("summary").get("online").asInt(), overview.toString());
            assertTrue(overview.get("summary").get("drifted").asInt() >= 1, overview.toString());
            JsonNode series = call("GET", base + "/api/v1/telemetry/drift-series", viewer, null).get("series");
            assertEquals(2, series.size(), series.toString());
            int windows = 0;
            for (JsonNode s : series) {
                for (JsonNode point : s.get("points")) {
                    windows += point.get("windows").asInt();
                }
            }
            assertEquals(serving.size() * ROUNDS, windows, "every drift window in one bucket or another: " + series);

            // The data needs a token; the page itself does not.
            assertEquals(401, status(base + "/api/v1/telemetry/devices", null));
            assertEquals(200, status(base + "/dashboard/", null));
            assertEquals(200, status(base + "/dashboard/lib/echarts.min.js", null));
            assertEquals(404, status(base + "/api/v1/rollouts", viewer), "this branch has no rollout API");

            HeadlessChromium chromium = new HeadlessChromium(Files.createDirectories(dir.resolve("chromium")));
            String page = base + "/dashboard/#token=" + viewer;
            String dom = chromium.dumpDom(page, 15_000);
            Files.createDirectories(shots);
            Files.writeString(shots.resolve("overview.html"), dom);
            assertTrue(dom.contains("data-state=\"ready\""), "the page did not finish loading: " + excerpt(dom));

            for (String id : serving.keySet()) {
                String row = element(dom, "tr", "data-device-id=\"" + id + "\"");
                assertTrue(row.contains("data-online=\"true\"") && row.contains(">online<"), id + ": " + row);
                assertTrue(row.contains(serving.get(id) == v1 ? "fashion 1.0.0" : "fashion 1.1.0"), row);
                assertTrue(row.contains(" ms<"), "p95 latency of " + id + ": " + row);
            }
            assertTrue(element(dom, "tr", "data-device-id=\"cam-north-2\"").contains(">drifted<"),
                    "the darkened device shows as drifted");
            assertTrue(element(dom, "tr", "data-device-id=\"cam-spare\"").contains(">not enrolled<"));
            for (String version : List.of("1.0.0", "1.1.0")) {
                String chart = element(dom, "div", "class=\"chart-box\" data-model=\"fashion\" data-version=\"" + version + "\"");
                assertTrue(chart.contains("<svg"), "an ECharts SVG for fashion " + version + ": " + excerpt(chart));
                assertTrue(chart.contains("estimated accuracy"), "the chart's legend for " + version);
            }
            assertTrue(element(dom, "tr", "data-model=\"fashion\" data-version=\"1\"").contains("data-gate=\"PROMOTE\""),
                    "v1's gate decision");
            assertTrue(element(dom, "tr", "data-model=\"fashion\" data-version=\"2\"").contains("data-gate=\"" + v2Gate + "\""),
                    "v2's gate decision " + v2Gate);
            assertTrue(dom.contains("data-empty=\"rollouts\""), "no rollouts shown: " + excerpt(dom));
            assertFalse(dom.contains("refresh failed"), excerpt(dom));

            // Without a token the page asks for one and shows no data.
            String login = chromium.dumpDom(base + "/dashboard/", 3_000);
            assertTrue(login.contains("data-state=\"login\"") && !login.contains("data-device-id"), excerpt(login));

            chromium.screenshot(page, 15_000, shots.resolve("overview.png"), 1400, 1000);
            chromium.screenshot(page, 15_000, shots.resolve("full.png"), 1400, 2400);
            chromium.screenshot(base + "/dashboard/", 3_000, shots.resolve("login.png"), 1400, 700);
            System.out.printf("dashboard: 4 devices (3 online), 2 model versions charted, registry v1 PROMOTE and v2 %s;"
                    + " screenshots in %s%n", v2Gate, shots);
        }
    }

    /** Promotes version {@code v} to production; the gate's decision (PROMOTE, or REFUSE with 4xx). */
    private static String promote(String base, String token, int v) throws Exception {
        HttpResponse<String> r = send("POST", base + "/api/v1/models/fashion/versions/" + v + "/promote", token,
                "{\"stage\":\"production\"}");
        return r.statusCode() == 200 ? "PROMOTE" : "REFUSE";
    }

    private static float[] darkened(float[] images) {
        float[] out = new float[images.length];
        for (int i = 0; i < images.length; i++) {
            out[i] = images[i] * 0.3f;
        }
        return out;
    }

    private static void infer(int port, float[] images, int from, int n) throws Exception {
        for (int i = from; i < from + n; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/v2/models/fashion/infer")).timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(AgentProcess.inferBody(null, images, i, 1, 784))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    /** The first element {@code <tag …attrs…>} through its matching close, or "" (flat enough for these tags). */
    static String element(String dom, String tag, String attrs) {
        int start = dom.indexOf("<" + tag + " " + attrs);
        if (start < 0) {
            return "";
        }
        Matcher m = Pattern.compile("<(/?)" + tag + "[\\s>]").matcher(dom);
        int depth = 0;
        int from = start;
        while (m.find(from)) {
            depth += m.group(1).isEmpty() ? 1 : -1;
            from = m.end();
            if (depth == 0) {
                return dom.substring(start, dom.indexOf('>', m.start()) + 1);
            }
        }
        return dom.substring(start);
    }

    private static String excerpt(String s) {
        return s.length() > 3000 ? s.substring(0, 3000) + "…" : s;
    }

    private static int status(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int size(String base, String token, String path) {
        try {
            return call("GET", base + path, token, null).size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int count(String base, String token, String path) {
        try {
            return call("GET", base + path, token, null).get("count").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode call(String method, String url, String token, String body) throws Exception {
        HttpResponse<String> r = send(method, url, token, body);
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
