package io.edgeloop.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.buffer.AgentDb;
import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.agent.buffer.BufferOptions;
import io.edgeloop.agent.buffer.CaptureSampling;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cmd/capture} on real RocksDB state: what it changes, what it refuses, what a restart keeps. */
class CaptureCommandTest {
    @TempDir
    Path dir;

    private static Command capture(String device, Map<String, String> args) {
        return new Command(device, Instant.now(), 1, CommandName.CAPTURE, args);
    }

    @Test
    void switchesCaptureAndKeepsTheSettingAcrossARestart() throws Exception {
        try (AgentDb db = new AgentDb(dir.resolve("db"), BufferOptions.DEFAULT)) {
            CaptureSampling sampling = new CaptureSampling(new AgentState(db), 1.0);
            assertTrue(sampling.enabled());
            assertTrue(sampling.sample(), "rate 1 samples every request");
            CaptureCommand command = new CaptureCommand("d", sampling);
            assertTrue(command.apply(capture("d", Map.of("enabled", "false"))));
            assertFalse(sampling.enabled());
            assertFalse(sampling.sample());
            assertEquals(1.0, sampling.rate(), "no sampleRate: the rate stays");
            assertTrue(command.apply(capture("d", Map.of("enabled", "true", "sampleRate", "0.25"))));
            assertEquals(0.25, sampling.rate());

            // Refused, and nothing changes.
            assertFalse(command.apply(capture("d", Map.of("enabled", "TRUE"))));
            assertFalse(command.apply(capture("d", Map.of())));
            assertFalse(command.apply(capture("d", Map.of("enabled", "false", "sampleRate", "1.5"))));
            assertFalse(command.apply(capture("d", Map.of("enabled", "false", "sampleRate", "NaN"))));
            assertFalse(command.apply(capture("other", Map.of("enabled", "false"))));
            assertFalse(command.apply(new Command("d", Instant.now(), 1, CommandName.CONFIG, Map.of("enabled", "false"))));
            assertTrue(sampling.enabled());
            assertEquals(0.25, sampling.rate());
            command.apply(capture("d", Map.of("enabled", "false", "sampleRate", "0")));
        }
        try (AgentDb db = new AgentDb(dir.resolve("db"), BufferOptions.DEFAULT)) {
            // The configured rate (1.0) does not override what the fleet set.
            CaptureSampling sampling = new CaptureSampling(new AgentState(db), 1.0);
            assertFalse(sampling.enabled());
            assertEquals(0.0, sampling.rate());
        }
    }
}
