package io.edgeloop.agent;

import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.config.DeviceProfileResolver;
import io.edgeloop.agent.engine.SharedSessions;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.fixtures.TestModelFiles;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packager.onnx.GraphBuilder;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.profiles.catalog.DeviceProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Twenty agents of one JVM installing the same package each from their own store: with a shared
 * session cache they hold one ONNX Runtime session between them (each agent its own batcher and
 * drift monitor on it), and the session closes with the last agent; without one, as on a device,
 * each agent opens its own. Prints memory per agent both ways.
 */
class SharedSessionAgentsTest {
    static final int AGENTS = 20;
    static final String MODEL = "fashion";

    @TempDir
    Path dir;

    @Test
    void twentyAgentsWithTheSameModelHoldOneSession() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        // 3.2 MB of weights, so that a session's share of an agent's memory shows beside RocksDB's.
        Path pkg = TestPackages.signedPackage(dir.resolve("pkg"), wideMlp(3, 1024), MODEL, "1.0.0", keys);
        DeviceProfile profile = DeviceProfileResolver.resolve("generic-x86_64");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            try (Agent warm = Agent.builder(options(keys, "warm")).scheduler(scheduler).deviceProfile(profile).install(pkg).start()) {
                infer(warm);
            }
            SharedSessions sessions = new SharedSessions();
            ManyAgentsTest.Memory beforeShared = ManyAgentsTest.Memory.now();
            List<Agent> shared = start(keys, profile, scheduler, pkg, "shared", sessions);
            beforeShared.thenPrintDelta("sharing one session", AGENTS, ManyAgentsTest.Memory.now());
            assertEquals(1, sessions.sessions(), "one session for one model content");
            assertEquals(AGENTS, sessions.users());
            assertEquals(1, sessions.sessionsOpened());
            for (Agent agent : shared) {
                infer(agent);
            }
            for (int i = 0; i < AGENTS - 1; i++) {
                shared.get(i).close();
            }
            assertEquals(1, sessions.sessions(), "the last agent still serves on it");
            infer(shared.get(AGENTS - 1));
            shared.get(AGENTS - 1).close();
            assertEquals(0, sessions.sessions(), "closed with its last user");

            ManyAgentsTest.Memory before = ManyAgentsTest.Memory.now();
            List<Agent> own = start(keys, profile, scheduler, pkg, "own", null);
            before.thenPrintDelta("with a session each", AGENTS, ManyAgentsTest.Memory.now());
            own.forEach(Agent::close);
            System.out.printf("%d agents: %d session opened with the cache, %d without%n", AGENTS,
                    sessions.sessionsOpened(), AGENTS);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** input [batch,784] -> {@code hidden} ReLU -> 10 logits. */
    static OnnxModel wideMlp(long seed, int hidden) {
        SplittableRandom r = new SplittableRandom(seed);
        GraphBuilder g = new GraphBuilder("wide-mlp", 13);
        String x = g.input("input", -1, TestModelFiles.PIXELS);
        String h = g.relu(g.gemm(x, g.weight("w1", TestModels.uniform(r, hidden * TestModelFiles.PIXELS, 0.05), hidden,
                TestModelFiles.PIXELS), g.weight("b1", new float[hidden], hidden), true));
        String logits = g.gemm(h, g.weight("w2", TestModels.uniform(r, 10 * hidden, 0.05), 10, hidden),
                g.weight("b2", new float[10], 10), true);
        g.output(logits, "logits", -1, 10);
        return g.toModel();
    }

    private List<Agent> start(KeyPairFiles.Paths keys, DeviceProfile profile, ScheduledExecutorService scheduler, Path pkg,
                              String prefix, SharedSessions sessions) throws Exception {
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            agents.add(Agent.builder(options(keys, prefix + "-" + i)).scheduler(scheduler).deviceProfile(profile)
                    .sharedSessions(sessions).install(pkg).start());
        }
        return agents;
    }

    private static void infer(Agent agent) throws Exception {
        float[] image = new float[TestModelFiles.PIXELS];
        assertEquals(TestModelFiles.CLASSES, agent.inference().infer(MODEL, null, null,
                List.of(Tensor.of("input", image, 1, TestModelFiles.PIXELS)), false).get(30, TimeUnit.SECONDS)
                .outputs().get(0).floats().length);
    }

    private AgentOptions options(KeyPairFiles.Paths keys, String name) {
        return AgentOptions.DEFAULT.withDataDir(dir.resolve(name)).withDeviceId("sim-" + name)
                .withPublicKey(keys.publicKey()).withProfile("generic-x86_64")
                .withHttp(http -> http.withEnabled(false)).withShutdown(s -> s.withDrainTimeoutMillis(1000));
    }
}
