package io.edgeloop.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.Agent;
import io.edgeloop.agent.FleetJoin;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.SampleLabel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent (signed package, ONNX Runtime, RocksDB files, KServe over HTTP) joined to a real
 * Mosquitto broker: its captures and feedback labels reach the ingest's subscription, a restart
 * sends nothing twice, and {@code cmd/capture} switches capture at run time.
 */
class CaptureUploadOverMqttTest {
    private static final String DEVICE = "cam-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float[] IMAGES = TestImages.synthetic(50).features();

    @TempDir
    Path dir;

    @Test
    void capturesAndLabelsReachTheFleetOnceAcrossARestartAndCmdCaptureSwitchesCapture() throws Exception {
        Assumptions.assumeTrue(TestBroker.available(), "needs Debian's mosquitto (" + TestBroker.BINARY + ")");
        KeyPairFiles.Paths keys = KeyPairFiles.generate(dir.resolve("keys"), "publisher");
        Path pkg = TestPackages.mlpPackage(dir.resolve("pkg"), "fashion", "1.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        AgentOptions options = AgentOptions.DEFAULT.withDataDir(dir.resolve("agent")).withPublicKey(keys.publicKey())
                .withDeviceId(DEVICE).withProfile("generic-x86_64")
                .withHttp(http -> http.withHost("127.0.0.1").withPort(0))
                .withDrift(drift -> drift.withMinSamples(2))
                // Uploads are driven by the test (uploadNow), so "before" and "after" are exact.
                .withCapture(capture -> capture.withSampleRate(1.0).withUploadInterval(Duration.ofHours(1)));
        try (TestBroker broker = new TestBroker(dir.resolve("broker")); TestIngest ingest = new TestIngest(broker.url())) {
            Agent agent = Agent.builder(options).install(pkg).start();
            new CredentialStore(agent.state()).save(new FleetCredentials(DEVICE, broker.url(), DEVICE, "secret"));
            FleetLink link = join(agent);
            try {
                for (int i = 0; i < 4; i++) {
                    assertEquals(200, infer(agent, "q" + i, i).statusCode());
                }
                // Feedback before the upload: live accuracy counts it, and the label rides on its capture.
                JsonNode early = JSON.readTree(feedback(agent, "q0", 3).body());
                assertTrue(early.get("matched").asBoolean(), early.toString());
                assertTrue(early.get("labelled").asBoolean(), early.toString());
                agent.captureUploader().uploadNow();
                await("4 captures at the ingest", () -> samples(ingest).size() == 4);
                Map<String, CapturedSample> byId = samples(ingest);
                assertEquals(List.of("q0", "q1", "q2", "q3"), List.copyOf(byId.keySet()));
                assertEquals(3, byId.get("q0").label());
                assertNull(byId.get("q1").label());
                assertEquals(784, byId.get("q2").inputLength());
                assertEquals(Arrays.toString(Arrays.copyOfRange(IMAGES, 2 * 784, 3 * 784)),
                        Arrays.toString(byId.get("q2").input()), "the input arrives bit for bit");
                assertEquals("1.0.0", byId.get("q2").version());

                // Feedback after the upload: a label batch, and live accuracy still counts it.
                feedback(agent, "q1", 5);
                agent.captureUploader().uploadNow();
                await("the label batch", () -> !ingest.received(LabelBatch.class).isEmpty());
                assertEquals(List.of(new SampleLabel("q1", "fashion", 5,
                                ingest.received(LabelBatch.class).get(0).labels().get(0).labelledAtMillis(), "feedback")),
                        ingest.received(LabelBatch.class).get(0).labels());
                assertEquals(2, agent.registry().get("fashion", null).drift().current().orElseThrow().labelled(),
                        "both feedbacks count in live accuracy");

                // cmd/capture off (with a rate for later): nothing is captured.
                ingest.send(new Command(DEVICE, Instant.now(), 1, CommandName.CAPTURE,
                        Map.of("enabled", "false", "sampleRate", "0.5")));
                await("capture off", () -> !agent.captureSampling().enabled());
                long before = agent.capture().count();
                infer(agent, "off", 4);
                assertEquals(before, agent.capture().count());
                // A bad command changes nothing.
                ingest.send(new Command(DEVICE, Instant.now(), 2, CommandName.CAPTURE, Map.of("enabled", "yes")));
                infer(agent, "q4", 4);
                assertEquals(before, agent.capture().count());

                String metrics = get(agent, "/metrics").body();
                assertTrue(metrics.contains("edgeloop_capture_uploaded_total 4.0"), metrics);
                assertTrue(metrics.contains("edgeloop_capture_labels_sent_total 1.0"), metrics);
                assertTrue(metrics.contains("edgeloop_capture_labels_on_captures_total 1.0"), metrics);
                assertTrue(metrics.contains("edgeloop_capture_skipped_total 0.0"), metrics);
            } finally {
                link.close();
                agent.close();
            }

            // The same device after a restart: the fleet's capture setting and the cursor are kept.
            Agent again = Agent.builder(options).start();
            FleetLink relinked = join(again);
            try {
                assertFalse(again.captureSampling().enabled(), "cmd/capture outlives a restart");
                assertEquals(0.5, again.captureSampling().rate());
                ingest.send(new Command(DEVICE, Instant.now(), 3, CommandName.CAPTURE,
                        Map.of("enabled", "true", "sampleRate", "1")));
                await("capture on", () -> again.captureSampling().enabled() && again.captureSampling().rate() == 1.0);
                infer(again, "after-restart", 5);
                again.captureUploader().uploadNow();
                await("the capture taken after the restart", () -> samples(ingest).containsKey("after-restart"));
                // A batch replayed from the outbox arrives with the seq it had: the seq drops it.
                List<String> ids = new ArrayList<>(samples(ingest).keySet());
                assertEquals(List.of("q0", "q1", "q2", "q3", "after-restart"), ids, "no capture sent twice by the cursor");
                assertTrue(ingest.refused().isEmpty(), ingest.refused().toString());
            } finally {
                relinked.close();
                again.close();
            }
        }
    }

    /** The samples received, by request id, each batch counted once per seq (as the server's dedupe does). */
    private static Map<String, CapturedSample> samples(TestIngest ingest) {
        Map<Long, CaptureBatch> bySeq = new LinkedHashMap<>();
        for (CaptureBatch batch : ingest.received(CaptureBatch.class)) {
            CaptureBatch first = bySeq.putIfAbsent(batch.seq(), batch);
            if (first != null && !first.equals(batch)) {
                throw new AssertionError("two different capture batches with seq " + batch.seq());
            }
        }
        Map<String, CapturedSample> out = new LinkedHashMap<>();
        for (CaptureBatch batch : bySeq.values()) {
            for (CapturedSample sample : batch.samples()) {
                if (out.put(sample.requestId(), sample) != null) {
                    throw new AssertionError(sample.requestId() + " was uploaded in two batches");
                }
            }
        }
        return out;
    }

    private static FleetLink join(Agent agent) throws Exception {
        return new FleetJoin(null, null, null, LinkOptions.DEFAULTS, false).connect(agent, "generic-x86_64", null, null);
    }

    private static HttpResponse<String> infer(Agent agent, String id, int image) throws Exception {
        StringBuilder data = new StringBuilder();
        for (int i = image * 784; i < (image + 1) * 784; i++) {
            data.append(i == image * 784 ? "" : ",").append(IMAGES[i]);
        }
        return post(agent, "/v2/models/fashion/infer", "{\"id\":\"" + id + "\",\"inputs\":[{\"name\":\"input\","
                + "\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}");
    }

    private static HttpResponse<String> feedback(Agent agent, String id, int label) throws Exception {
        HttpResponse<String> r = post(agent, "/v2/models/fashion/feedback", "{\"id\":\"" + id + "\",\"label\":" + label + "}");
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    private static HttpResponse<String> post(Agent agent, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(Agent agent, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
