package io.edgeloop.it;

import io.edgeloop.agent.Agent;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.link.EnrolmentClient;
import io.edgeloop.agent.FleetJoin;
import io.edgeloop.agent.link.FleetLink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Real agents in this JVM for the fleet ITs, each serving a signed package and joined to the
 * fleet through enrolment and its own {@link FleetLink}; their links share one scheduler.
 */
final class InJvmAgents implements AutoCloseable {
    /** An agent's settings for these tests: loopback HTTP on a free port, drift windows of 20 requests. */
    static AgentOptions options(Path dataDir, String deviceId, Path publicKey) {
        return AgentProcess.options(dataDir).withDeviceId(deviceId).withPublicKey(publicKey)
                .withDrift(d -> d.withWindowSize(20).withMinSamples(10));
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final List<Agent> agents = new ArrayList<>();
    final List<FleetLink> links = new ArrayList<>();

    /** Starts one agent serving {@code pkg} under {@code dataDir}, enrols it and connects it. */
    Agent add(Path dataDir, String deviceId, Path pkg, Path publicKey, String server, String token) throws Exception {
        return add(dataDir, deviceId, pkg, publicKey, server, token, o -> o);
    }

    /** The same with the test's own changes to the agent's options. */
    Agent add(Path dataDir, String deviceId, Path pkg, Path publicKey, String server, String token,
              java.util.function.UnaryOperator<AgentOptions> change) throws Exception {
        AgentOptions options = change.apply(options(dataDir, deviceId, publicKey));
        Agent agent = Agent.builder(options).scheduler(scheduler).install(pkg).start();
        agents.add(agent);
        links.add(FleetJoin.of(URI.create(server), token).withoutHardwareProbe()
                .connect(agent, agent.deviceProfile().id(), new EnrolmentClient(), scheduler));
        return agent;
    }

    /** Sends {@code n} single-image inference requests to the agent's HTTP API. */
    static void infer(int port, float[] images, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v2/models/fashion/infer")).timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(AgentProcess.inferBody(null, images, i, 1, 784))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("inference answered " + r.statusCode() + ": " + r.body());
            }
        }
    }

    @Override
    public void close() {
        links.forEach(FleetLink::close);
        agents.forEach(Agent::close);
        scheduler.shutdownNow();
    }
}
