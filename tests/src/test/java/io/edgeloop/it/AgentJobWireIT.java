package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.Agent;
import io.edgeloop.agent.FleetJoin;
import io.edgeloop.agent.link.EnrolmentClient;
import io.edgeloop.agent.link.FleetLink;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.job.JobValidation;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.topic.Topics;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.broker.ServerMqttLogin;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job over the real wire: the fleet server (embedded broker, package repository, enrolment)
 * and an in-JVM agent that enrolled with only the server URL and a token (no publisher key of its
 * own: it verifies with the keys enrolment handed it). The job document is published on the
 * agent's {@code jobs/notify} with the server's broker login, as the rollout engine will; the
 * agent downloads from the repository with a device-bound download token, and its updates arrive
 * on {@code jobs/{jobId}/update} in order: 1.0.0, then 1.1.0 (both validated on their reference
 * inputs). Then {@code cmd/rollback} of the second job returns the device to 1.0.0 and reports it
 * {@code ROLLED_BACK}.
 */
class AgentJobWireIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final MessageCodec CODEC = new MessageCodec();

    @TempDir
    Path dir;

    @Test
    void jobDocumentsOnTheBrokerInstallPackagesUpdatesComeBackInOrderAndARollbackReverts() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path v1 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        Path v2 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(2), "fashion", "1.1.0", keys);
        Path serverDir = dir.resolve("server");
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(serverDir, 0, 0)
                .withTrustedKeys(List.of(keys.publicKey())), FleetServer.Plugins.defaults().withMqtt())) {
            String base = "http://127.0.0.1:" + server.httpPort();
            String admin = Files.readString(server.adminTokenFile()).strip();
            for (Path pkg : List.of(v1, v2)) {
                HttpResponse<String> up = send("POST", base + "/api/v1/packages", admin, HttpRequest.BodyPublishers.ofFile(pkg),
                        "application/octet-stream");
                assertTrue(up.statusCode() / 100 == 2, up.statusCode() + " " + up.body());
            }
            String enrol = json(send("POST", base + "/api/v1/devices", admin, "{\"deviceId\":\"wire-1\"}"))
                    .get("enrolToken").asText();

            MqttClient observer = serverClient(server, serverDir, "edgeloop-test-observer");
            List<JobExecutionUpdate> updates = new CopyOnWriteArrayList<>();
            observer.subscribe(Topics.ROOT + "/wire-1/jobs/+/update", 1, (topic, message) ->
                    updates.add(CODEC.decode(message.getPayload(), JobExecutionUpdate.class)));
            MqttClient publisher = serverClient(server, serverDir, "edgeloop-test-publisher");
            // No --pubkey: the agent verifies with the keys enrolment hands it.
            try (Agent agent = Agent.builder(InJvmAgents.options(dir.resolve("agent"), "wire-1", null)).start();
                 FleetLink link = FleetJoin.of(URI.create(base), enrol).withoutHardwareProbe()
                         .connect(agent, agent.deviceProfile().id(), new EnrolmentClient(), null)) {
                FleetTelemetryIT.waitFor(30, link::connected, () -> "not connected");
                for (String[] job : List.of(new String[] {"job-w1", "1.0.0"}, new String[] {"job-w2", "1.1.0"})) {
                    JsonNode download = json(send("POST", base + "/api/v1/packages/fashion/" + job[1] + "/download-tokens",
                            admin, "{\"deviceId\":\"wire-1\"}"));
                    JobDocument doc = new JobDocument("wire-1", Instant.now(), 1, job[0], "rollout-w", "fashion", job[1],
                            base + download.get("url").asText(), download.get("sha256").asText(),
                            download.get("sizeBytes").asLong(), Instant.now().plusSeconds(120), false, false,
                            new JobValidation(JobValidation.Mode.REFERENCE, 0, 0.95));
                    publisher.publish(Topics.jobNotify("wire-1"), CODEC.encode(doc), 1, false);
                    FleetTelemetryIT.waitFor(120, () -> last(updates, job[0]) == JobExecutionState.SUCCEEDED,
                            () -> "updates " + updates);
                    assertEquals(job[1], agent.registry().activeVersions().get("fashion"));
                    List<JobExecutionUpdate> mine = of(updates, job[0]);
                    for (int i = 0; i < mine.size(); i++) {
                        assertEquals(i + 1, mine.get(i).version(), "in order, versions one by one: " + mine);
                    }
                    assertEquals(List.of(JobStep.DOWNLOADING, JobStep.VERIFYING, JobStep.INSTALLING, JobStep.VALIDATING,
                            JobStep.ACTIVATING), mine.stream().map(JobExecutionUpdate::step).distinct().toList());
                    assertEquals("1.0000", mine.get(mine.size() - 1).statusDetails().get("agreement"));
                    System.out.printf("job %s over the wire: %d updates, %s%n", job[0], mine.size(),
                            mine.get(mine.size() - 1).statusDetails());
                }
                Command rollback = new Command("wire-1", Instant.now(), 2, CommandName.ROLLBACK,
                        Map.of("model", "fashion", "jobId", "job-w2"));
                publisher.publish(Topics.command("wire-1", CommandName.ROLLBACK.wireName()), CODEC.encode(rollback), 1, false);
                FleetTelemetryIT.waitFor(30, () -> last(updates, "job-w2") == JobExecutionState.ROLLED_BACK,
                        () -> "updates " + of(updates, "job-w2"));
                assertEquals("1.0.0", agent.registry().activeVersions().get("fashion"));
            } finally {
                publisher.disconnect();
                publisher.close();
                observer.disconnect();
                observer.close();
            }
        }
    }

    /**
     * The agent as its own process, started with only {@code --server}, {@code --enrol-token} and
     * {@code --data-dir} (no key, no package): it runs the job, is killed with {@code kill -9}
     * while the job waits in VALIDATING for live requests to compare in shadow, and restarted
     * with only its data directory resumes the job there and finishes it; then killed again in
     * the middle of a download from a slow server, it resumes from the stored offset, fetching
     * less than one chunk twice.
     */
    @Test
    void anAgentProcessStartedWithServerAndTokenRunsJobsAndResumesOneAfterKill9() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path v1 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        Path v2 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.1.0", keys);
        Path v3 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.2.0", keys);
        float[] images = io.edgeloop.fixtures.TestImages.testSet().head(64).features();
        Path serverDir = dir.resolve("server");
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(serverDir, 0, 0)
                .withTrustedKeys(List.of(keys.publicKey())), FleetServer.Plugins.defaults().withMqtt())) {
            String base = "http://127.0.0.1:" + server.httpPort();
            String admin = Files.readString(server.adminTokenFile()).strip();
            for (Path pkg : List.of(v1, v2)) {
                assertTrue(send("POST", base + "/api/v1/packages", admin, HttpRequest.BodyPublishers.ofFile(pkg),
                        "application/octet-stream").statusCode() / 100 == 2);
            }
            String enrol = json(send("POST", base + "/api/v1/devices", admin, "{\"deviceId\":\"wire-p\"}"))
                    .get("enrolToken").asText();
            MqttClient observer = serverClient(server, serverDir, "edgeloop-test-observer-p");
            List<JobExecutionUpdate> updates = new CopyOnWriteArrayList<>();
            observer.subscribe(Topics.ROOT + "/wire-p/jobs/+/update", 1, (topic, message) ->
                    updates.add(CODEC.decode(message.getPayload(), JobExecutionUpdate.class)));
            MqttClient publisher = serverClient(server, serverDir, "edgeloop-test-publisher-p");
            io.edgeloop.agent.config.AgentOptions options = AgentProcess.options(dir.resolve("agent-p")).withDeviceId("wire-p");
            AgentProcess agent = AgentProcess.start(options, List.of("--server", base, "--enrol-token", enrol),
                    List.of("-Xmx128m"));
            try {
                // A job document is not retained: it goes out once the device is online (subscribed).
                FleetTelemetryIT.waitFor(60, () -> online(base, admin) == 1, () -> "not online");
                publisher.publish(Topics.jobNotify("wire-p"), CODEC.encode(job(base, admin, "wire-p", "job-p1", "1.0.0",
                        JobValidation.NONE)), 1, false);
                FleetTelemetryIT.waitFor(120, () -> last(updates, "job-p1") == JobExecutionState.SUCCEEDED,
                        () -> "updates " + updates);
                assertEquals(200, agent.post("/v2/models/fashion/infer", AgentProcess.inferBody(null, images, 0, 1, 784))
                        .statusCode());
                publisher.publish(Topics.jobNotify("wire-p"), CODEC.encode(job(base, admin, "wire-p", "job-p2", "1.1.0",
                        new JobValidation(JobValidation.Mode.SHADOW, 20, 0.9))), 1, false);
                FleetTelemetryIT.waitFor(120, () -> of(updates, "job-p2").stream()
                        .anyMatch(u -> u.step() == JobStep.VALIDATING), () -> "updates " + of(updates, "job-p2"));
                agent.kill();
                FleetTelemetryIT.waitFor(60, () -> online(base, admin) == 0, () -> "still online after kill -9");
                agent = AgentProcess.start(options, List.of(), List.of("-Xmx128m"));
                AgentProcess restarted = agent;
                FleetTelemetryIT.waitFor(60, () -> of(updates, "job-p2").stream()
                        .filter(u -> u.step() == JobStep.VALIDATING).map(JobExecutionUpdate::version).distinct().count() == 2,
                        () -> "updates " + of(updates, "job-p2"));
                for (int i = 0; last(updates, "job-p2") != JobExecutionState.SUCCEEDED && i < 20_000; i++) {
                    assertEquals(200, restarted.post("/v2/models/fashion/infer",
                            AgentProcess.inferBody(null, images, i % 64, 1, 784)).statusCode());
                }
                FleetTelemetryIT.waitFor(30, () -> last(updates, "job-p2") == JobExecutionState.SUCCEEDED,
                        () -> "updates " + of(updates, "job-p2"));
                assertEquals("1.1.0", JSON.readTree(agent.get("/v2/models/fashion").body()).get("versions").get(0).asText());
                List<Long> versions = of(updates, "job-p2").stream().map(JobExecutionUpdate::version).distinct().toList();
                for (int i = 0; i < versions.size(); i++) {
                    assertEquals(i + 1, versions.get(i), "versions go on across kill -9: " + of(updates, "job-p2"));
                }
                System.out.printf("agent process, kill -9 in VALIDATING: job-p2 resumed and ended %s with %s%n",
                        last(updates, "job-p2"), of(updates, "job-p2").get(of(updates, "job-p2").size() - 1).statusDetails());

                // kill -9 mid-download, from a slow server (about 200 KB/s), past the first 256 KiB chunk.
                long size = Files.size(v3);
                long chunk = io.edgeloop.agent.jobs.JobOptions.DEFAULT_CHUNK_BYTES;
                try (ThrottledFileServer slow = new ThrottledFileServer(v3, 20)) {
                    JobDocument p3 = new JobDocument("wire-p", Instant.now(), 1, "job-p3", "rollout-p", "fashion", "1.2.0",
                            slow.url(), TestPackages.sha256(Files.readAllBytes(v3)), size, Instant.now().plusSeconds(180),
                            false, false, JobValidation.NONE);
                    publisher.publish(Topics.jobNotify("wire-p"), CODEC.encode(p3), 1, false);
                    FleetTelemetryIT.waitFor(60, () -> slow.bytesSent() >= chunk + 32 * 1024, () -> "sent " + slow.bytesSent());
                    agent.kill();
                    long beforeKill = slow.bytesSent();
                    FleetTelemetryIT.waitFor(60, () -> online(base, admin) == 0, () -> "still online after kill -9");
                    agent = AgentProcess.start(options, List.of(), List.of("-Xmx128m"));
                    FleetTelemetryIT.waitFor(120, () -> last(updates, "job-p3") == JobExecutionState.SUCCEEDED,
                            () -> "updates " + of(updates, "job-p3"));
                    long twice = slow.bytesSent() - size;
                    System.out.printf("agent process, kill -9 mid-download: %d-byte package, %d bytes sent before the kill,"
                                    + " GETs from %s, %d bytes fetched twice (chunk %d)%n", size, beforeKill, slow.rangeStarts(),
                            twice, chunk);
                    assertTrue(twice >= 0 && twice <= chunk, "fetched twice: " + twice);
                    assertTrue(slow.rangeStarts().contains(chunk), "resumed from the stored offset: " + slow.rangeStarts());
                    assertEquals("1.2.0", JSON.readTree(agent.get("/v2/models/fashion").body()).get("versions").get(0)
                            .asText());
                }
            } finally {
                agent.close();
                publisher.disconnect();
                publisher.close();
                observer.disconnect();
                observer.close();
            }
        }
    }

    /** The server's rollout engine (REST, dispatch over MQTT, update handling) with a real agent's job runner. */
    @Test
    void aRolloutFromTheServersEngineEndsWithTheAgentSucceeded() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path v1 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        Path serverDir = dir.resolve("server");
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(serverDir, 0, 0)
                .withTrustedKeys(List.of(keys.publicKey())), FleetServer.Plugins.defaults().withMqtt())) {
            String base = "http://127.0.0.1:" + server.httpPort();
            String admin = Files.readString(server.adminTokenFile()).strip();
            assertTrue(send("POST", base + "/api/v1/packages", admin, HttpRequest.BodyPublishers.ofFile(v1),
                    "application/octet-stream").statusCode() / 100 == 2);
            String enrol = json(send("POST", base + "/api/v1/devices", admin, "{\"deviceId\":\"wire-r\"}"))
                    .get("enrolToken").asText();
            try (Agent agent = Agent.builder(InJvmAgents.options(dir.resolve("agent-r"), "wire-r", null)).start();
                 FleetLink link = FleetJoin.of(URI.create(base), enrol).withoutHardwareProbe()
                         .connect(agent, agent.deviceProfile().id(), new EnrolmentClient(), null)) {
                FleetTelemetryIT.waitFor(60, () -> online(base, admin) == 1, () -> "not online");
                String rollout = json(send("POST", base + "/api/v1/rollouts", admin, "{\"package\":\"fashion:1.0.0\","
                        + "\"target\":{\"devices\":[\"wire-r\"]},\"wavePercents\":\"100\","
                        + "\"validation\":{\"mode\":\"REFERENCE\",\"samples\":64,\"minAgreement\":0.95}}"))
                        .get("rolloutId").asText();
                FleetTelemetryIT.waitFor(120, () -> "SUCCEEDED".equals(rolloutState(base, admin, rollout)),
                        () -> "rollout " + rolloutState(base, admin, rollout));
                assertEquals("1.0.0", agent.registry().activeVersions().get("fashion"));
                JsonNode executions = json(send("GET", base + "/api/v1/rollouts/" + rollout + "/executions", admin,
                        HttpRequest.BodyPublishers.noBody(), "application/json"));
                assertEquals(1, executions.size(), executions.toString());
                assertEquals("SUCCEEDED", executions.get(0).get("state").asText(), executions.toString());
                System.out.printf("rollout over the server's engine: %s%n", executions);
            }
        }
    }

    private static String rolloutState(String base, String admin, String id) {
        try {
            return json(send("GET", base + "/api/v1/rollouts/" + id, admin, HttpRequest.BodyPublishers.noBody(),
                    "application/json")).get("state").asText();
        } catch (Exception | AssertionError e) {
            return "unreadable: " + e;
        }
    }

    private static int online(String base, String admin) {
        try {
            return json(send("GET", base + "/api/v1/devices?online=true", admin, HttpRequest.BodyPublishers.noBody(),
                    "application/json")).size();
        } catch (Exception | AssertionError e) {
            return -1;
        }
    }

    private static JobDocument job(String base, String admin, String device, String jobId, String version,
                                   JobValidation validation) throws Exception {
        JsonNode download = json(send("POST", base + "/api/v1/packages/fashion/" + version + "/download-tokens", admin,
                "{\"deviceId\":\"" + device + "\"}"));
        return new JobDocument(device, Instant.now(), 1, jobId, "rollout-p", "fashion", version,
                base + download.get("url").asText(), download.get("sha256").asText(), download.get("sizeBytes").asLong(),
                Instant.now().plusSeconds(180), false, false, validation);
    }

    private static List<JobExecutionUpdate> of(List<JobExecutionUpdate> updates, String jobId) {
        return updates.stream().filter(u -> u.jobId().equals(jobId)).toList();
    }

    private static JobExecutionState last(List<JobExecutionUpdate> updates, String jobId) {
        List<JobExecutionUpdate> mine = of(updates, jobId);
        return mine.isEmpty() ? null : mine.get(mine.size() - 1).state();
    }

    private static MqttClient serverClient(FleetServer server, Path serverDir, String clientId) throws Exception {
        ServerMqttLogin login = ServerMqttLogin.loadOrCreate(serverDir.resolve(ServerMqttLogin.DEFAULT_FILE));
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + server.mqttPort(), clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(login.username());
        o.setPassword(login.passwordChars());
        o.setCleanSession(true);
        client.connect(o);
        return client;
    }

    private static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        return send(method, url, token, HttpRequest.BodyPublishers.ofString(body), "application/json");
    }

    private static HttpResponse<String> send(String method, String url, String token, HttpRequest.BodyPublisher body,
                                             String type) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", type).method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }
}
