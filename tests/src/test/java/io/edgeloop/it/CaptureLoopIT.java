package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.Agent;
import io.edgeloop.agent.FleetJoin;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.link.EnrolmentClient;
import io.edgeloop.agent.link.FleetLink;
import io.edgeloop.agent.link.LinkOptions;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.captures.CaptureRetention;
import io.edgeloop.server.captures.CaptureStore;
import io.edgeloop.server.captures.StoredCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server half of the closed loop's data: a real agent in this JVM (signed package, ONNX
 * Runtime, RocksDB files, KServe over HTTP) enrolled at the fleet server (embedded broker, H2
 * file) serves inferences and takes feedback before and after its uploads; the server stores each
 * capture and label exactly once, also after the agent restarts, joins labels to their captures
 * whichever came first, takes an annotator's label over REST, and serves the labelled inputs bit
 * for bit to a reader of the store (retraining).
 */
class CaptureLoopIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String DEVICE = "loop-1";
    private static final float[] IMAGES = TestImages.synthetic(20).features();

    @TempDir
    Path dir;

    @Test
    void anAgentsCapturesAndFeedbackReachTheServerStoreExactlyOnce() throws Exception {
        KeyPairFiles.Paths keys = KeyPairFiles.generate(Files.createDirectories(dir.resolve("keys")), "publisher");
        Path pkg = TestPackages.mlpPackage(dir.resolve("pkg"), "fashion", "1.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        AgentOptions options = InJvmAgents.options(dir.resolve("agent"), DEVICE, keys.publicKey())
                // Uploads are driven by the test, so what went before and after each is exact.
                .withCapture(c -> c.withSampleRate(1.0).withUploadInterval(Duration.ofHours(1)));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (FleetTelemetryIT.RealServer server = FleetTelemetryIT.RealServer.start(dir.resolve("server"), null)) {
            String admin = Files.readString(server.server.adminTokenFile()).strip();
            String token = server.enrolToken(DEVICE);
            Agent agent = Agent.builder(options).scheduler(scheduler).install(pkg).start();
            FleetLink link = FleetJoin.of(URI.create(server.httpUrl()), token).withoutHardwareProbe()
                    .connect(agent, agent.deviceProfile().id(), new EnrolmentClient(), scheduler);
            try {
                for (int i = 0; i < 6; i++) {
                    infer(agent, "q" + i, i);
                }
                feedback(agent, "q0", 3); // before the upload: it rides on its capture
                agent.captureUploader().uploadNow();
                feedback(agent, "q1", 5); // after: label batches
                feedback(agent, "q2", 7);
                agent.captureUploader().uploadNow();
                JsonNode stats = awaitStats(server, admin, 6, 3);
                assertEquals(0, stats.path("totals").path("pendingLabels").asLong(), stats.toString());
            } finally {
                link.close();
                agent.close();
            }

            // The same device restarted: its kept login, cursor and seq; nothing is sent twice.
            Agent again = Agent.builder(options).scheduler(scheduler).start();
            FleetLink relinked = new FleetJoin(null, null, null, LinkOptions.DEFAULTS, false)
                    .connect(again, again.deviceProfile().id(), null, scheduler);
            try {
                infer(again, "q6", 6);
                feedback(again, "q3", 1);
                again.captureUploader().uploadNow();
                JsonNode stats = awaitStats(server, admin, 7, 4);
                JsonNode metrics = stats.path("metrics");
                assertEquals(7, metrics.path("capturesStored").asLong(), metrics.toString());
                assertEquals(0, metrics.path("captureDuplicates").asLong(), metrics.toString());
            } finally {
                relinked.close();
                again.close();
            }

            JsonNode list = get(server, admin, "/api/v1/captures?device=" + DEVICE + "&model=fashion&limit=100");
            List<String> ids = new java.util.ArrayList<>();
            list.path("items").forEach(i -> ids.add(i.path("requestId").asText()));
            assertEquals(7, ids.size(), list.toString());
            assertEquals(7, new HashSet<>(ids).size(), "each capture stored once: " + ids);

            // An annotator labels q4 on the server.
            HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl()
                            + "/api/v1/captures/labels")).header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON
                            .writeValueAsString(Map.of("labels", List.of(Map.of("deviceId", DEVICE, "requestId", "q4",
                                    "model", "fashion", "label", 9)))))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, posted.statusCode(), posted.body());
            assertEquals(1, JSON.readTree(posted.body()).path("matched").asInt());

            // What retraining reads: labelled captures, oldest first, with their inputs.
            CaptureStore store = new CaptureStore(server.server.database(), Clock.systemUTC(), CaptureRetention.defaults());
            List<StoredCapture> labelled = store.labelled("fashion", List.of(DEVICE), 0, 100);
            assertEquals(List.of("q0", "q1", "q2", "q3", "q4"), labelled.stream().map(StoredCapture::requestId).toList());
            assertEquals(List.of(3, 5, 7, 1, 9), labelled.stream().map(StoredCapture::label).toList());
            assertEquals(List.of("feedback", "feedback", "feedback", "feedback", "annotator"),
                    labelled.stream().map(StoredCapture::labelSource).toList());
            StoredCapture q2 = labelled.get(2);
            assertArrayEquals(Arrays.copyOfRange(IMAGES, 2 * 784, 3 * 784), q2.input(), "the input arrives bit for bit");
            assertEquals("1.0.0", q2.version());
            assertEquals(5, store.counts("fashion", null, 0).totalLabelled());
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static JsonNode awaitStats(FleetTelemetryIT.RealServer server, String admin, long captures, long labelled)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode stats = null;
        while (System.nanoTime() < deadline) {
            stats = get(server, admin, "/api/v1/captures/stats?model=fashion");
            JsonNode t = stats.path("totals");
            if (t.path("captures").asLong() == captures && t.path("labelled").asLong() == labelled) {
                return stats;
            }
            assertTrue(t.path("captures").asLong() <= captures, stats.toString());
            Thread.sleep(200);
        }
        throw new AssertionError("not " + captures + " captures and " + labelled + " labelled within 60 s: " + stats);
    }

    private static JsonNode get(FleetTelemetryIT.RealServer server, String admin, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + path))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static void infer(Agent agent, String id, int image) throws Exception {
        StringBuilder data = new StringBuilder();
        for (int i = image * 784; i < (image + 1) * 784; i++) {
            data.append(i == image * 784 ? "" : ",").append(IMAGES[i]);
        }
        HttpResponse<String> r = post(agent, "/v2/models/fashion/infer", "{\"id\":\"" + id + "\",\"inputs\":[{\"name\":"
                + "\"input\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}");
        assertEquals(200, r.statusCode(), r.body());
    }

    private static void feedback(Agent agent, String id, int label) throws Exception {
        HttpResponse<String> r = post(agent, "/v2/models/fashion/feedback", "{\"id\":\"" + id + "\",\"label\":" + label + "}");
        assertEquals(200, r.statusCode(), r.body());
    }

    private static HttpResponse<String> post(Agent agent, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
