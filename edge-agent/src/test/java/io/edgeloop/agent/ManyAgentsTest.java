package io.edgeloop.agent;

import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.config.DeviceProfileResolver;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.fixtures.TestModelFiles;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.agent.serving.InferenceResult;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fifty agents in one JVM on one shared Vert.x and scheduler, as the fleet simulator runs them: each with its
 * own data directory, RocksDB and model store, serving its own install of one signed package.
 * The first half have no HTTP server (Java API only), the second half listen on ephemeral ports.
 * Prints heap and resident memory per agent; after closing them all, no file under their data
 * directories is open or mapped, none of their threads is left, the shared Vert.x is still up with
 * nothing deployed, and agents start again in the same directories (every fifth, to keep it short).
 */
class ManyAgentsTest {
    static final int AGENTS = 50;
    static final String MODEL = "fashion";

    @TempDir
    Path dir;

    @Test
    void fiftyAgentsShareOneVertxAndReleaseEverythingOnClose() throws Exception {
        KeyPairFiles.Paths keys = KeyPairFiles.generate(Files.createDirectories(dir.resolve("keys")), "publisher");
        Path pkg = TestPackages.mlpPackage(dir.resolve("pkg"), MODEL, "1.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        DeviceProfile profile = DeviceProfileResolver.resolve("generic-x86_64");
        float[] image = new float[TestModelFiles.PIXELS];
        java.util.Arrays.fill(image, 0.25f);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            // Warm-up: one agent started and closed, so classes, native libraries and the JIT's
            // first code count in the baseline, not in the first agent's share.
            try (Agent warm = Agent.builder(options(keys, "warm", true)).vertx(vertx).deviceProfile(profile).install(pkg).start()) {
                inferByHttp(http, warm, image);
            }
            Memory baseline = Memory.now();
            Memory before = baseline;
            List<Agent> agents = new ArrayList<>();
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < AGENTS; i++) {
                    agents.add(Agent.builder(options(keys, "agent-" + i, i >= AGENTS / 2)).vertx(vertx).scheduler(scheduler)
                            .deviceProfile(profile).install(pkg).start());
                    if (i == AGENTS / 2 - 1) {
                        before = before.thenPrintDelta("without HTTP", AGENTS / 2, Memory.now());
                    }
                }
                long startMs = (System.nanoTime() - t0) / 1_000_000;
                Set<Integer> ports = new HashSet<>();
                Set<String> ids = new HashSet<>();
                for (Agent agent : agents) {
                    assertTrue(agent.ready());
                    assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL));
                    ids.add(agent.deviceId());
                    InferenceResult r = agent.inference().infer(MODEL, null, null,
                            List.of(Tensor.of("input", image, 1, TestModelFiles.PIXELS)), false).get(30, TimeUnit.SECONDS);
                    assertEquals(TestModelFiles.CLASSES, r.outputs().get(0).floats().length);
                    if (agent.hasHttp()) {
                        ports.add(agent.port());
                        inferByHttp(http, agent, image);
                    }
                }
                assertEquals(AGENTS, ids.size(), "device ids come from the options");
                assertEquals(AGENTS / 2, ports.size(), "each HTTP agent bound its own ephemeral port");
                Memory after = Memory.now();
                before.thenPrintDelta("with HTTP", AGENTS - AGENTS / 2, after);
                baseline.thenPrintDelta("overall", AGENTS, after);
                System.out.printf("%d agents on one Vert.x: started in %d ms (one at a time, this machine's load"
                                + " included), %d threads in the JVM%n", AGENTS, startMs, Thread.activeCount());
            } finally {
                agents.forEach(Agent::close);
                agents.clear();
            }
            Memory closed = Memory.now();
            System.out.printf("before the agents: heap %.1f MB, RSS %.1f MB; after closing them all: heap %.1f MB, RSS %.1f MB%n",
                    baseline.heap / 1e6, baseline.rss / 1e6, closed.heap / 1e6, closed.rss / 1e6);

            assertEquals(List.of(), OpenResources.filesUnder(dir), "files still open after close");
            assertEquals(List.of(), OpenResources.mappedUnder(dir), "files still mapped after close");
            assertEquals(List.of(), OpenResources.agentThreads(), "agent threads left after close");
            assertTrue(vertx.deploymentIDs().isEmpty(), "HTTP listeners left deployed: " + vertx.deploymentIDs());
            assertFalse(scheduler.isShutdown(), "the caller's scheduler stays the caller's");

            // The RocksDB locks are free and the stores intact: every agent starts again where it was.
            List<Agent> again = new ArrayList<>();
            try {
                for (int i = 0; i < AGENTS; i += 5) {
                    again.add(Agent.builder(options(keys, "agent-" + i, i % 10 == 0)).vertx(vertx).deviceProfile(profile).start());
                }
                for (Agent agent : again) {
                    assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL), agent.deviceId());
                    agent.inference().infer(MODEL, null, null, List.of(Tensor.of("input", image, 1, TestModelFiles.PIXELS)), false)
                            .get(30, TimeUnit.SECONDS);
                }
            } finally {
                again.forEach(Agent::close);
            }
        } finally {
            scheduler.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private AgentOptions options(KeyPairFiles.Paths keys, String name, boolean withHttp) {
        return AgentOptions.DEFAULT.withDataDir(dir.resolve(name)).withDeviceId("sim-" + name)
                .withPublicKey(keys.publicKey()).withProfile("generic-x86_64")
                .withHttp(http -> http.withEnabled(withHttp).withHost("127.0.0.1").withPort(0))
                .withShutdown(s -> s.withDrainTimeoutMillis(1000));
    }

    private static void inferByHttp(HttpClient http, Agent agent, float[] image) throws Exception {
        StringBuilder body = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,")
                .append(TestModelFiles.PIXELS).append("],\"data\":[");
        for (int i = 0; i < image.length; i++) {
            body.append(i == 0 ? "" : ",").append(image[i]);
        }
        body.append("]}]}");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port()
                        + "/v2/models/" + MODEL + "/infer")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Heap in use after a full collection, and the process's resident set (VmRSS). */
    record Memory(long heap, long rss) {
        static Memory now() throws IOException, InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(50);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long rssKb = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong).findFirst().orElse(-1);
            return new Memory(heap, rssKb * 1024);
        }

        /** Prints what {@code agents} agents started since this measurement cost each; returns {@code later}. */
        Memory thenPrintDelta(String what, int agents, Memory later) {
            System.out.printf("per agent %s (%d agents): heap %+.2f MB, RSS %+.2f MB (total heap %.1f MB, RSS %.1f MB)%n",
                    what, agents, (later.heap - heap) / 1e6 / agents, (later.rss - rss) / 1e6 / agents, later.heap / 1e6,
                    later.rss / 1e6);
            return later;
        }
    }
}
