package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.Agent;
import io.edgeloop.agent.FleetJoin;
import io.edgeloop.agent.buffer.CaptureSampling;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.link.EnrolmentClient;
import io.edgeloop.agent.link.FleetLink;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's capture switch end to end: {@code POST /api/v1/devices/{id}/capture} on the fleet
 * server (embedded broker, H2 file) reaches a real agent in this JVM enrolled with its own MQTT
 * login as {@code cmd/capture}, and the agent's capture setting changes: off, then on at a new
 * sample rate.
 */
class CaptureCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String DEVICE = "switch-1";

    @TempDir
    Path dir;

    @Test
    void theServersCaptureCommandChangesTheAgentsCaptureSetting() throws Exception {
        KeyPairFiles.Paths keys = KeyPairFiles.generate(Files.createDirectories(dir.resolve("keys")), "publisher");
        Path pkg = TestPackages.mlpPackage(dir.resolve("pkg"), "fashion", "1.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        AgentOptions options = InJvmAgents.options(dir.resolve("agent"), DEVICE, keys.publicKey())
                .withCapture(c -> c.withSampleRate(1.0).withUploadInterval(Duration.ofHours(1)));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (FleetTelemetryIT.RealServer server = FleetTelemetryIT.RealServer.start(dir.resolve("server"), null)) {
            String admin = Files.readString(server.server.adminTokenFile()).strip();
            String token = server.enrolToken(DEVICE);
            Agent agent = Agent.builder(options).scheduler(scheduler).install(pkg).start();
            FleetLink link = FleetJoin.of(URI.create(server.httpUrl()), token).withoutHardwareProbe()
                    .connect(agent, agent.deviceProfile().id(), new EnrolmentClient(), scheduler);
            try {
                CaptureSampling sampling = agent.captureSampling();
                assertTrue(sampling.enabled());
                assertEquals(1.0, sampling.rate());

                switchUntil(server, admin, Map.of("enabled", false), sampling, s -> !s.enabled());
                assertFalse(sampling.enabled());

                switchUntil(server, admin, Map.of("enabled", true, "sampleRate", 0.25), sampling,
                        s -> s.enabled() && s.rate() == 0.25);
                assertEquals(0.25, sampling.rate());
            } finally {
                link.close();
                agent.close();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    /**
     * Posts the command until the agent applied it (its link may still be subscribing when the
     * first one goes out: the command is idempotent, so sending it again is harmless).
     */
    private static void switchUntil(FleetTelemetryIT.RealServer server, String admin, Map<String, Object> body,
                                    CaptureSampling sampling, Predicate<CaptureSampling> applied) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/api/v1/devices/"
                            + DEVICE + "/capture")).header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            for (int i = 0; i < 20; i++) {
                if (applied.test(sampling)) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the agent did not apply " + body + " within 60 s (enabled " + sampling.enabled()
                + ", rate " + sampling.rate() + ")");
    }
}
