package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.Agent;
import io.edgeloop.agent.buffer.CaptureOptions;
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
 * per model version, the registry's gate decisions, and a rollout in progress: the signed package
 * fashion 1.1.0 is uploaded and rolled out to the device that never enrols, so the rollout engine
 * keeps it RUNNING with wave 1 waiting on that device. The page must show that rollout with its
 * state, its package and one row per wave whose counts are those of {@code GET /api/v1/rollouts/{id}}.
 * Without a token the page asks for one. Screenshots land in {@code tests/target/dashboard/}.
 */
class DashboardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int WINDOW = 20;
    private static final int ROUNDS = 4;
    @TempDir
    Path dir;

    @Test
    void dashboardShowsDevicesDriftChartsRegistryAndARolloutInProgress() throws Exception {
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

        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir.resolve("server"), 0, 0)
                        .withTrustedKeys(List.of(keys.publicKey())), FleetServer.Plugins.defaults().withMqtt());
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
                    // A quarter of the requests captured and uploaded every second, for the captures panel.
                    agents.add(dir.resolve(id), id, serving.get(id), keys.publicKey(), base, enrolToken,
                            o -> o.withCapture(c -> new CaptureOptions(0.25, true, Duration.ofSeconds(1), 0)));
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

            // A rollout of the signed fashion 1.1.0 to cam-spare, registered but never enrolled: it
            // is notified of a job it never answers, so wave 1 stays in progress for the screenshots.
            assertEquals(201, send("POST", base + "/api/v1/packages", admin, HttpRequest.BodyPublishers.ofFile(v2),
                    "application/octet-stream").statusCode(), "upload of fashion 1.1.0");
            String rollout = call("POST", base + "/api/v1/rollouts", admin, "{\"package\":\"fashion:1.1.0\","
                    + "\"target\":{\"devices\":[\"cam-spare\"]},\"wavePercents\":\"100\"}").get("rolloutId").asText();
            FleetTelemetryIT.waitFor(60, () -> rolloutWaveRunning(base, viewer, rollout),
                    () -> "rollout " + rollout + " has not started its wave: " + rolloutView(base, viewer, rollout));
            JsonNode listed = call("GET", base + "/api/v1/rollouts", viewer, null);
            assertEquals(1, listed.size(), listed.toString());
            assertEquals(rollout, listed.get(0).get("rolloutId").asText(), listed.toString());

            seedRetrainingAndLabels(base, admin);

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
            assertRolloutShown(dom, call("GET", base + "/api/v1/rollouts/" + rollout, viewer, null));
            String panels = assertRetrainingAndCapturesShown(dom, base, viewer);
            assertFalse(dom.contains("refresh failed"), excerpt(dom));

            // Without a token the page asks for one and shows no data.
            String login = chromium.dumpDom(base + "/dashboard/", 3_000);
            assertTrue(login.contains("data-state=\"login\"") && !login.contains("data-device-id"), excerpt(login));

            chromium.screenshot(page, 15_000, shots.resolve("overview.png"), 1400, 1000);
            chromium.screenshot(page, 15_000, shots.resolve("full.png"), 1400, 3600);
            chromium.screenshot(base + "/dashboard/", 3_000, shots.resolve("login.png"), 1400, 700);
            System.out.printf("dashboard: 4 devices (3 online), 2 model versions charted, registry v1 PROMOTE and v2 %s,"
                    + " rollout %s %s; %s; screenshots in %s%n", v2Gate, rollout, rolloutView(base, viewer, rollout), panels,
                    shots);
        }
    }

    /**
     * The rollout's card: its state and package in the heading, and per wave of {@code view} a row
     * whose cells are the wave's number, percent, state, targeted and counts (failed = FAILED +
     * REJECTED + TIMED_OUT, the last = CANCELED + ROLLED_BACK).
     */
    private static void assertRolloutShown(String dom, JsonNode view) {
        String id = view.get("rolloutId").asText();
        String card = element(dom, "div", "class=\"rollout\" data-rollout-id=\"" + id + "\"");
        assertTrue(card.contains("data-state=\"" + view.get("state").asText() + "\""), "rollout " + id + ": " + excerpt(dom));
        String heading = card.substring(Math.max(0, card.indexOf("<h3")), Math.max(0, card.indexOf("</h3>")));
        assertTrue(heading.contains(">" + view.get("state").asText() + "<"), heading);
        assertTrue(heading.contains(">" + view.get("package").asText() + "<"), heading);
        assertTrue(heading.contains(view.get("targets").asInt() + " device"), heading);
        JsonNode waves = view.get("waves");
        assertTrue(waves.size() > 0, view.toPrettyString());
        assertEquals(waves.size(), Pattern.compile("<tr data-wave=").matcher(card).results().count(), card);
        for (JsonNode w : waves) {
            JsonNode c = w.get("counts");
            String row = element(card, "tr", "data-wave=\"" + w.get("index").asInt() + "\"");
            List<String> cells = Pattern.compile("<td[^>]*>(?:<span[^>]*>)?([^<]*)<").matcher(row).results()
                    .map(m -> m.group(1)).toList();
            List<String> expected = List.of("Wave " + w.get("index").asInt(), w.get("percent").asInt() + " %",
                    w.get("state").asText(), String.valueOf(w.get("targeted").asInt()),
                    String.valueOf(c.get("QUEUED").asInt()), String.valueOf(c.get("IN_PROGRESS").asInt()),
                    String.valueOf(c.get("SUCCEEDED").asInt()),
                    String.valueOf(c.get("FAILED").asInt() + c.get("REJECTED").asInt() + c.get("TIMED_OUT").asInt()),
                    String.valueOf(c.get("CANCELED").asInt() + c.get("ROLLED_BACK").asInt()));
            assertEquals(expected, cells.subList(0, Math.min(cells.size(), expected.size())), "wave row " + row);
        }
    }

    /**
     * Where the server has them: an annotator's label for the first capture of each device that
     * uploaded one (so the captures panel shows labelled ones), and a dry-run retraining decision
     * for fashion (what the policy would do, recorded, nothing done).
     */
    private static void seedRetrainingAndLabels(String base, String admin) throws Exception {
        if (status(base + "/api/v1/captures", admin) != 404) {
            FleetTelemetryIT.waitFor(60, () -> captureDevices(base, admin) == 3,
                    () -> "captures of 3 devices; stats: " + captureDevices(base, admin));
            StringBuilder labels = new StringBuilder();
            for (JsonNode c : call("GET", base + "/api/v1/captures?model=fashion", admin, null).path("items")) {
                if (labels.indexOf("\"" + c.get("deviceId").asText() + "\"") < 0) {
                    labels.append(labels.length() == 0 ? "" : ",").append(JSON.writeValueAsString(Map.of("deviceId",
                            c.get("deviceId").asText(), "requestId", c.get("requestId").asText(), "model", "fashion", "label", 3)));
                }
            }
            if (labels.length() > 0) {
                call("POST", base + "/api/v1/captures/labels", admin, "{\"labels\":[" + labels + "]}");
            }
        }
        if (status(base + "/api/v1/retraining/decisions", admin) != 404) {
            call("PUT", base + "/api/v1/retraining/policies/fashion", admin, "{\"enabled\":true,\"dryRun\":true,"
                    + "\"minDriftedDevices\":1,\"minSamples\":2,\"minLabels\":2}");
            call("POST", base + "/api/v1/retraining/fashion/evaluate?dryRun=true", admin, null);
        }
    }

    /**
     * The retraining decisions (Contract 3) and captures per device (Contract 2) panels show what
     * their endpoints answer the viewer, or their empty state on a server without them (404).
     * Returns what they showed, for the log.
     */
    private static String assertRetrainingAndCapturesShown(String dom, String base, String viewer) throws Exception {
        String retraining = element(dom, "section", "class=\"card\" id=\"retraining\"");
        String captures = element(dom, "section", "class=\"card\" id=\"captures\"");
        assertFalse(retraining.isEmpty() || captures.isEmpty(), "both panels are on the page: " + excerpt(dom));
        String shown;
        if (status(base + "/api/v1/retraining/decisions", viewer) == 404) {
            assertTrue(element(retraining, "div", "class=\"empty\" data-empty=\"retraining\"")
                    .contains("this server has no retraining service"), retraining);
            shown = "retraining: no service (404)";
        } else {
            JsonNode body = call("GET", base + "/api/v1/retraining/decisions", viewer, null);
            JsonNode decisions = body.isArray() ? body : body.path("items");
            if (decisions.isEmpty()) {
                assertTrue(retraining.contains("data-empty=\"retraining\"") && retraining.contains("No retraining decisions yet."),
                        retraining);
            }
            for (int i = 0; i < Math.min(20, decisions.size()); i++) {
                JsonNode d = decisions.get(i);
                String row = element(retraining, "tr", "data-decision-id=\"" + d.get("id").asText() + "\"");
                assertTrue(row.contains("data-action=\"" + d.get("action").asText() + "\"") && row.contains(d.get("model").asText()),
                        "decision " + d + " in " + row);
            }
            shown = "retraining: " + decisions.size() + " decisions";
        }
        if (status(base + "/api/v1/captures/stats", viewer) == 404) {
            assertTrue(element(captures, "div", "class=\"empty\" data-empty=\"captures\"")
                    .contains("this server has no capture store"), captures);
            shown += ", captures: no store (404)";
        } else {
            JsonNode devices = call("GET", base + "/api/v1/captures/stats", viewer, null).path("devices");
            if (devices.isEmpty()) {
                assertTrue(captures.contains("data-empty=\"captures\"") && captures.contains("No captures stored."), captures);
            } else {
                assertTrue(captures.contains("<svg"), "an ECharts bar chart of captures per device: " + excerpt(captures));
            }
            for (JsonNode d : devices) {
                String row = element(captures, "tr", "data-device-id=\"" + d.get("deviceId").asText() + "\"");
                assertFalse(row.isEmpty(), d + " has no row in " + excerpt(captures));
            }
            shown += ", captures: " + devices.size() + " devices";
        }
        return shown;
    }

    private static boolean rolloutWaveRunning(String base, String token, String id) {
        JsonNode v = rolloutView(base, token, id);
        return v != null && "RUNNING".equals(v.path("state").asText()) && "RUNNING".equals(v.path("waves").path(0)
                .path("state").asText()) && v.path("waves").path(0).path("targeted").asInt() == 1;
    }

    private static JsonNode rolloutView(String base, String token, String id) {
        try {
            return call("GET", base + "/api/v1/rollouts/" + id, token, null);
        } catch (Exception | AssertionError e) {
            return null;
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

    private static int captureDevices(String base, String token) {
        try {
            return call("GET", base + "/api/v1/captures/stats?model=fashion", token, null).path("devices").size();
        } catch (Exception | AssertionError e) {
            return -1;
        }
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
        return send(method, url, token, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body), "application/json");
    }

    private static HttpResponse<String> send(String method, String url, String token, HttpRequest.BodyPublisher body,
            String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType).method(method, body);
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
