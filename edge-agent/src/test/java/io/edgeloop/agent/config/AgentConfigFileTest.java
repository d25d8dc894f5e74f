package io.edgeloop.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentConfigFileTest {
    @TempDir
    Path dir;

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
                deviceId: kiosk-7
                http:
                  port: 9000
                batch:
                  maxBatch: 16
                buffer:
                  sync: always
                """);
        AgentOptions o = AgentConfigFile.load(file, Map.of(
                "EDGELOOP_AGENT_HTTP_PORT", "9100",
                "EDGELOOP_AGENT_HTTP_ENABLED", "false",
                "EDGELOOP_AGENT_BATCH_MAX_DELAY_MICROS", "750",
                "EDGELOOP_AGENT_ENGINE_PREFERRED_ENGINES", "onnxruntime-cuda, onnxruntime")).validate();
        assertEquals(9100, o.http().port());
        assertFalse(o.http().enabled());
        assertEquals("kiosk-7", o.deviceId());
        assertEquals(16, o.batch().maxBatch());
        assertEquals(Duration.ofNanos(750_000), o.batch().maxDelay());
        assertEquals(SyncPolicy.ALWAYS, o.buffer().sync());
        assertEquals(Path.of("/tmp/edgeloop-test/models"), o.storeDir());
        assertEquals(Path.of("/tmp/edgeloop-test/db"), o.dbDir());
        assertEquals(List.of("onnxruntime-cuda", "onnxruntime"), o.engine().preferredEngines());
        assertTrue(o.engine().prefersCuda());
        assertEquals("EDGELOOP_AGENT_CAPTURE_SAMPLE_RATE", AgentConfigFile.envName("capture.sampleRate"));
    }

    @Test
    void noFileMeansDefaultsAndTheProfileFillsWhatTheyLeaveOpen() throws Exception {
        AgentOptions o = AgentConfigFile.load(dir.resolve("absent.yaml"), Map.of());
        assertEquals(AgentOptions.DEFAULT, o);
        assertEquals(8080, o.http().port());
        assertTrue(o.http().enabled());
        assertEquals(Path.of("/var/lib/edgeloop"), o.dataDir());
        AgentOptions resolved = o.resolvedFor(PROFILE);
        assertEquals(PROFILE.preferredEngines(), resolved.engine().preferredEngines());
        assertEquals(PROFILE.captureBufferQuotaBytes(), resolved.buffer().captureQuotaBytes());
        assertEquals(Math.min(PROFILE.intraOpThreads(), Runtime.getRuntime().availableProcessors()),
                resolved.engine().intraOpThreads());
    }

    @Test
    void theShippedFileNamesEverySettingWithItsDefault() throws Exception {
        // The documented agent.yaml and the record agree: every key known, every value the default
        // (the publisher key is where install.sh puts it).
        Path shipped = Path.of("src/main/dist/agent.yaml");
        AgentOptions o = AgentConfigFile.load(shipped, Map.of());
        assertEquals(AgentOptions.DEFAULT.withPublicKey(Path.of("/etc/edgeloop/publisher.pub")), o);
        // Every setting of the record is written out in the file (none left to its default silently).
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        assertEquals(keys(yaml.readTree(AgentConfigFile.write(AgentOptions.DEFAULT)), ""),
                keys(yaml.readTree(shipped.toFile()), ""));
    }

    /** The dotted keys of a YAML mapping's leaves. */
    private static Set<String> keys(JsonNode node, String prefix) {
        Set<String> keys = new TreeSet<>();
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isObject()) {
                keys.addAll(keys(f.getValue(), prefix + f.getKey() + "."));
            } else {
                keys.add(prefix + f.getKey());
            }
        });
        return keys;
    }

    @Test
    void writtenSettingsReadBackEqual() throws Exception {
        AgentOptions o = AgentOptions.DEFAULT.withDataDir(dir.resolve("data")).withPublicKey(dir.resolve("pub.pem"))
                .withDeviceId("sim-3").withProfile("generic-x86_64")
                .withHttp(http -> http.withEnabled(false).withPort(0))
                .withBatch(batch -> batch.withMaxBatch(8).withInlineWhenIdle(false))
                .withBuffer(buffer -> buffer.withSync(SyncPolicy.NEVER))
                .withCapture(capture -> capture.withSampleRate(1.0).withUpload(false)
                        .withUploadInterval(Duration.ofMillis(2500)).withUploadBatchBytes(64 * 1024))
                .withDrift(drift -> drift.withWindowSize(300)).withShutdown(s -> s.withDrainTimeoutMillis(1));
        Path file = Files.writeString(dir.resolve("written.yaml"), AgentConfigFile.write(o));
        assertEquals(o, AgentConfigFile.load(file, Map.of()));
        assertTrue(Files.readString(file).contains("dataDir: " + dir.resolve("data")), Files.readString(file));
    }

    @Test
    void typosAndBadValuesAreRefusedByName() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "batch:\n  maxBach: 3\n");
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> AgentConfigFile.load(typo, Map.of()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("batch.maxBach"), e.getMessage());

        Path sync = Files.writeString(dir.resolve("sync.yaml"), "buffer:\n  sync: sometimes\n");
        EdgeLoopException badSync = assertThrows(EdgeLoopException.class, () -> AgentConfigFile.load(sync, Map.of()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, badSync.code());
        assertTrue(badSync.getMessage().contains("buffer.sync"), badSync.getMessage());

        EdgeLoopException eighty = assertThrows(EdgeLoopException.class,
                () -> AgentConfigFile.load(null, Map.of("EDGELOOP_AGENT_HTTP_PORT", "eighty")));
        assertTrue(eighty.getMessage().contains("http.port"), eighty.getMessage());

        Path empty = Files.writeString(dir.resolve("empty.yaml"), "http:\n  port:\n");
        EdgeLoopException missing = assertThrows(EdgeLoopException.class, () -> AgentConfigFile.load(empty, Map.of()));
        assertTrue(missing.getMessage().contains("http.port"), missing.getMessage());

        AgentOptions outOfRange = AgentConfigFile.load(null, Map.of("EDGELOOP_AGENT_HTTP_PORT", "70000"));
        EdgeLoopException port = assertThrows(EdgeLoopException.class, outOfRange::validate);
        assertEquals(ErrorCode.INVALID_ARGUMENT, port.code());
        assertTrue(port.getMessage().startsWith("http.port must be 0-65535"), port.getMessage());
    }

    @Test
    void oldDriftKeysAreAcceptedWithAWarningNamingTheReplacement() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AgentConfigFile.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            Path old = Files.writeString(dir.resolve("old.yaml"), """
                    drift:
                      ksAlpha: 0.02
                      psiThreshold: 0.2
                      outputPsiThreshold: 0.25
                      windowSize: 300
                    """);
            AgentOptions o = AgentConfigFile.load(old, Map.of());
            assertEquals(0.02, o.drift().alpha(), 1e-12);
            assertEquals(300, o.drift().windowSize());
            assertEquals(AgentOptions.DEFAULT.drift().withWindowSize(300).withAlpha(0.02), o.drift());
            List<String> warnings = logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertEquals(3, warnings.size(), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("'drift.ksAlpha' was renamed 'drift.alpha'")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("'drift.psiThreshold' was removed")
                    && w.contains("drift.alpha")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("'drift.outputPsiThreshold' was removed")), warnings.toString());

            // Both names: the new one wins, whichever comes first.
            Path both = Files.writeString(dir.resolve("both.yaml"), "drift:\n  alpha: 0.03\n  ksAlpha: 0.02\n");
            assertEquals(0.03, AgentConfigFile.load(both, Map.of()).drift().alpha(), 1e-12);
            // An old key outside its section is still unknown.
            Path elsewhere = Files.writeString(dir.resolve("elsewhere.yaml"), "batch:\n  ksAlpha: 0.02\n");
            EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> AgentConfigFile.load(elsewhere, Map.of()));
            assertTrue(e.getMessage().contains("batch.ksAlpha"), e.getMessage());

            // The environment variable of the old name too.
            logs.list.clear();
            assertEquals(0.04, AgentConfigFile.load(null, Map.of("EDGELOOP_AGENT_DRIFT_KS_ALPHA", "0.04")).drift().alpha(), 1e-12);
            assertEquals(0.03, AgentConfigFile.load(null, Map.of("EDGELOOP_AGENT_DRIFT_KS_ALPHA", "0.04",
                    "EDGELOOP_AGENT_DRIFT_ALPHA", "0.03")).drift().alpha(), 1e-12);
            assertEquals(AgentOptions.DEFAULT, AgentConfigFile.load(null, Map.of("EDGELOOP_AGENT_DRIFT_PSI_THRESHOLD", "0.2")));
            List<String> envWarnings = logs.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertTrue(envWarnings.stream().anyMatch(w -> w.contains("EDGELOOP_AGENT_DRIFT_KS_ALPHA was renamed EDGELOOP_AGENT_DRIFT_ALPHA")),
                    envWarnings.toString());
            assertTrue(envWarnings.stream().noneMatch(w -> w.contains("name no agent setting")), envWarnings.toString());
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void theCaptureSampleRateMovedToItsOwnSectionAndOldFilesStillSetIt() throws Exception {
        Path old = Files.writeString(dir.resolve("old-capture.yaml"), "buffer:\n  captureSampleRate: 0.5\n  captureMaxAgeHours: 2\n");
        AgentOptions o = AgentConfigFile.load(old, Map.of());
        assertEquals(0.5, o.capture().sampleRate(), 1e-12);
        assertEquals(2, o.buffer().captureMaxAgeHours());
        Path both = Files.writeString(dir.resolve("both-capture.yaml"),
                "buffer:\n  captureSampleRate: 0.5\ncapture:\n  sampleRate: 0.25\n");
        assertEquals(0.25, AgentConfigFile.load(both, Map.of()).capture().sampleRate(), 1e-12);
        assertEquals(0.75, AgentConfigFile.load(null, Map.of("EDGELOOP_AGENT_BUFFER_CAPTURE_SAMPLE_RATE", "0.75"))
                .capture().sampleRate(), 1e-12);

        Path capture = Files.writeString(dir.resolve("capture.yaml"),
                "capture:\n  sampleRate: 1\n  upload: false\n  uploadInterval: PT0.5S\n");
        AgentOptions c = AgentConfigFile.load(capture, Map.of("EDGELOOP_AGENT_CAPTURE_UPLOAD_INTERVAL", "PT2S"));
        assertEquals(1.0, c.capture().sampleRate(), 1e-12);
        assertFalse(c.capture().upload());
        assertEquals(Duration.ofSeconds(2), c.capture().uploadInterval());
        assertEquals(Duration.ofMillis(500), AgentConfigFile.load(capture, Map.of()).capture().uploadInterval());
        Path bad = Files.writeString(dir.resolve("bad-interval.yaml"), "capture:\n  uploadInterval: 10 seconds\n");
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> AgentConfigFile.load(bad, Map.of()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("capture.uploadInterval") && e.getMessage().contains("PT10S"), e.getMessage());
    }

    @Test
    void validationNamesTheSettingInEverySection() {
        Map<String, AgentOptions> bad = Map.of(
                "engine.intraOpThreads", AgentOptions.DEFAULT.withEngine(e -> e.withIntraOpThreads(-1)),
                "batch.maxBatch", AgentOptions.DEFAULT.withBatch(b -> b.withMaxBatch(0)),
                "store.keepPrevious", AgentOptions.DEFAULT.withStore(s -> s.withKeepPrevious(-1)),
                "capture.sampleRate", AgentOptions.DEFAULT.withCapture(c -> c.withSampleRate(1.5)),
                "capture.uploadInterval", AgentOptions.DEFAULT.withCapture(c -> c.withUploadInterval(Duration.ofMillis(5))),
                "capture.uploadBatchBytes", AgentOptions.DEFAULT.withCapture(c -> c.withUploadBatchBytes(300 * 1024)),
                "drift.alpha", AgentOptions.DEFAULT.withDrift(d -> d.withAlpha(0)),
                "shutdown.drainTimeoutMillis", AgentOptions.DEFAULT.withShutdown(s -> s.withDrainTimeoutMillis(-1)),
                "deviceId", AgentOptions.DEFAULT.withDeviceId("a/b"),
                "dataDir", AgentOptions.DEFAULT.withDataDir(null));
        bad.forEach((key, options) -> {
            EdgeLoopException e = assertThrows(EdgeLoopException.class, options::validate, key);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith(key), key + ": " + e.getMessage());
        });
    }
}
