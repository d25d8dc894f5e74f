package io.edgeloop.agent.config;

import io.edgeloop.agent.buffer.SyncPolicy;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentConfigLoaderTest {
    @TempDir
    Path dir;

    private final AgentConfigLoader loader = new AgentConfigLoader();
    private static final DeviceProfile PROFILE = profile();

    private static DeviceProfile profile() {
        try {
            return DeviceProfileResolver.resolve("generic-x86_64");
        } catch (EdgeLoopException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void defaultsThenFileThenEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("agent.yaml"), """
                dataDir: /tmp/edgeloop-test
                http:
                  port: 9000
                batch:
                  maxBatch: 16
                buffer:
                  sync: always
                """);
        AgentOptions o = AgentOptions.from(loader.load(file, Map.of(
                "EDGELOOP_AGENT_HTTP_PORT", "9100",
                "EDGELOOP_AGENT_BATCH_MAX_DELAY_MICROS", "750",
                "EDGELOOP_AGENT_ENGINE_PREFERRED_ENGINES", "onnxruntime-cuda, onnxruntime")), PROFILE);
        assertEquals(9100, o.api().port());
        assertEquals(16, o.batch().maxBatch());
        assertEquals(Duration.ofNanos(750_000), o.batch().maxDelay());
        assertEquals(SyncPolicy.ALWAYS, o.buffer().sync());
        assertEquals(Path.of("/tmp/edgeloop-test/models"), o.store().root());
        assertEquals(List.of("onnxruntime-cuda", "onnxruntime"), o.engine().preferredEngines());
        assertTrue(o.engine().prefersCuda());
        assertEquals("EDGELOOP_AGENT_BUFFER_CAPTURE_SAMPLE_RATE", AgentConfigLoader.envName("buffer.captureSampleRate"));
    }

    @Test
    void noFileMeansDefaults() throws Exception {
        AgentOptions o = AgentOptions.from(loader.load(dir.resolve("absent.yaml"), Map.of()), PROFILE);
        assertEquals(8080, o.api().port());
        assertEquals(Path.of("/var/lib/edgeloop"), o.dataDir());
        // Left at 0 / empty in the file: the device profile decides.
        assertEquals(PROFILE.preferredEngines(), o.engine().preferredEngines());
        assertEquals(PROFILE.captureBufferQuotaBytes(), o.buffer().captureQuotaBytes());
        assertEquals(Math.min(PROFILE.intraOpThreads(), Runtime.getRuntime().availableProcessors()),
                o.engine().intraOpThreads());
    }

    @Test
    void typosAndBadValuesAreRefusedByName() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "batch:\n  maxBach: 3\n");
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> loader.load(typo, Map.of()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("batch.maxBach"), e.getMessage());
        Path sync = Files.writeString(dir.resolve("sync.yaml"), "buffer:\n  sync: sometimes\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.from(loader.load(sync, Map.of()), PROFILE));
        assertTrue(bad.getMessage().contains("buffer.sync"), bad.getMessage());
        assertThrows(EdgeLoopException.class, () -> loader.load(null, Map.of("EDGELOOP_AGENT_HTTP_PORT", "eighty")));
        assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.from(loader.load(null, Map.of("EDGELOOP_AGENT_HTTP_PORT", "70000")), PROFILE));
    }
}
