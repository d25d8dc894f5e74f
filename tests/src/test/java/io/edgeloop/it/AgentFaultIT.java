package io.edgeloop.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.buffer.AgentDb;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.buffer.BufferOptions;
import io.edgeloop.agent.buffer.CaptureBuffer;
import io.edgeloop.agent.buffer.CaptureRecord;
import io.edgeloop.agent.buffer.SyncPolicy;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of the agent process while it writes captures and while it activates versions
 * (forward) and rolls back: after a restart no acknowledged capture is missing and a valid,
 * complete version serves. And the downgrade guard: activating an older version is refused, the
 * rollback endpoint is the way back.
 */
class AgentFaultIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static KeyPairFiles.Paths keys;
    static Path v1;
    static Path v2;
    static float[] images;

    @BeforeAll
    static void packages() throws Exception {
        keys = TestPackages.publisherKeys(dir.resolve("keys"));
        v1 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(1), "fashion", "1.0.0", keys);
        v2 = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(2), "fashion", "1.1.0", keys);
        images = TestImages.testSet().head(64).features();
    }

    private static AgentProcess start(AgentOptions options, boolean withPackage) throws Exception {
        List<String> args = new ArrayList<>(List.of("--pubkey", keys.publicKey().toString()));
        if (withPackage) {
            args.addAll(List.of("--package", v1.toString()));
        }
        return AgentProcess.start(options, args, List.of("-Xmx128m"));
    }

    @Test
    void killDuringCapturesLosesNoAcknowledgedRecord() throws Exception {
        Path data = dir.resolve("data-capture");
        // Every request captured; the default WAL policy (INTERVAL): a process crash loses nothing
        // that returned, only a power loss could lose the last interval.
        AgentOptions options = AgentProcess.options(data).withCapture(capture -> capture.withSampleRate(1.0));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AgentProcess agent = start(options, true);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    String id = "c" + client + "-" + i;
                    try {
                        HttpResponse<String> r = agent.post("/v2/models/fashion/infer",
                                AgentProcess.inferBody(id, images, i % 64, 1, 784));
                        if (r.statusCode() == 200) {
                            acknowledged.add(id);
                        }
                    } catch (Exception e) {
                        return; // the process is gone
                    }
                }
            }));
        }
        // Kill while captures are streaming in: after some answers (a loaded machine warms up slowly).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < 50 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        agent.kill();
        running.set(false);
        for (Future<?> f : clients) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(acknowledged.size() > 10, "only " + acknowledged.size() + " requests answered before the kill");

        try (AgentProcess restarted = start(options, false)) {
            assertEquals(200, restarted.post("/v2/models/fashion/infer", AgentProcess.inferBody("after", images, 0, 1, 784))
                    .statusCode());
            assertTrue(restarted.stop() >= 0);
        }
        Set<String> stored = new HashSet<>();
        try (AgentDb db = new AgentDb(data.resolve("db"), new BufferOptions(SyncPolicy.NEVER, 1000,
                1L << 30, 7 * 24))) {
            for (CaptureRecord r : new CaptureBuffer(db, System::currentTimeMillis).list(Integer.MAX_VALUE)) {
                stored.add(r.requestId());
            }
        }
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(stored);
        System.out.printf("capture fault test: %d acknowledged before kill -9, %d stored after restart, %d missing%n",
                acknowledged.size(), stored.size(), missing.size());
        assertTrue(missing.isEmpty(), "acknowledged but not captured: " + missing.stream().limit(10).toList());
        assertTrue(stored.contains("after"));
    }

    @Test
    void killDuringActivationLeavesAValidVersionServing() throws Exception {
        Path data = dir.resolve("data-activate");
        AgentProcess agent = start(AgentProcess.options(data), true);
        HttpResponse<String> upload = agent.post("/v2/agent/packages", Files.readAllBytes(v2));
        assertEquals(200, upload.statusCode(), upload.body());
        SplittableRandom random = new SplittableRandom(9);
        Set<String> notOk = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 3; round++) {
            AgentProcess current = agent;
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<Integer> activations = pool.submit(() -> {
                int n = 0;
                while (running.get()) {
                    try {
                        // Forward by activation, back by the explicit rollback: activating the older
                        // version is refused by the downgrade guard.
                        HttpResponse<String> r = current.post(n % 2 == 0 ? "/v2/agent/models/fashion/versions/1.1.0/activate"
                                : "/v2/agent/models/fashion/rollback?version=1.0.0", "");
                        if (r.statusCode() == 409) {
                            refused.add(r.body());
                        }
                        n++;
                    } catch (Exception e) {
                        break;
                    }
                }
                return n;
            });
            pool.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = current.post("/v2/models/fashion/infer",
                                AgentProcess.inferBody(null, images, 0, 1, 784));
                        if (r.statusCode() != 200) {
                            // Requests racing an activation run on the new version, never fail.
                            notOk.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            Thread.sleep(400 + random.nextInt(1200));
            current.kill();
            running.set(false);
            int switched = activations.get(30, TimeUnit.SECONDS);
            pool.shutdown();

            agent = start(AgentProcess.options(data), false);
            String version = JSON.readTree(agent.get("/v2/models/fashion").body()).get("versions").get(0).asText();
            System.out.printf("activation fault test round %d: killed after %d activations; restarted on %s%n",
                    round, switched, version);
            assertTrue(version.equals("1.0.0") || version.equals("1.1.0"), version);
            assertEquals(200, agent.post("/v2/models/fashion/infer", AgentProcess.inferBody(null, images, 0, 1, 784))
                    .statusCode());
            Path modelDir = data.resolve("models").resolve("fashion");
            List<String> active = Files.readAllLines(modelDir.resolve("active"));
            assertEquals(version, active.get(0));
            try (Stream<Path> entries = Files.list(modelDir)) {
                List<String> leftovers = entries.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith(".staging") || n.contains(".tmp-")).toList();
                assertEquals(List.of(), leftovers);
            }
        }
        agent.close();
        assertEquals(Set.of(), notOk);
        assertEquals(Set.of(), refused, "activation forward and rollback back are never refused");
    }

    @Test
    void activatingAnOlderVersionIsRefusedAndTheRollbackGoesBack() throws Exception {
        AgentProcess agent = start(AgentProcess.options(dir.resolve("data-downgrade")), true);
        try {
            assertEquals(200, agent.post("/v2/agent/packages?activate=true", Files.readAllBytes(v2)).statusCode());
            HttpResponse<String> downgrade = agent.post("/v2/agent/models/fashion/versions/1.0.0/activate", "");
            assertEquals(409, downgrade.statusCode(), downgrade.body());
            assertEquals("DOWNGRADE_REFUSED", JSON.readTree(downgrade.body()).get("code").asText());
            assertTrue(downgrade.body().contains("rollback"), downgrade.body());
            assertEquals("1.1.0", activeVersion(agent));
            HttpResponse<String> back = agent.post("/v2/agent/models/fashion/rollback", "");
            assertEquals(200, back.statusCode(), back.body());
            assertEquals("1.0.0", activeVersion(agent));
            assertEquals(200, agent.post("/v2/models/fashion/infer", AgentProcess.inferBody(null, images, 0, 1, 784))
                    .statusCode());
            assertEquals(200, agent.post("/v2/agent/models/fashion/versions/1.1.0/activate", "").statusCode(),
                    "going forward again is an upgrade");
            assertEquals("1.1.0", activeVersion(agent));
        } finally {
            agent.close();
        }
    }

    private static String activeVersion(AgentProcess agent) throws Exception {
        return JSON.readTree(agent.get("/v2/models/fashion").body()).get("versions").get(0).asText();
    }
}
