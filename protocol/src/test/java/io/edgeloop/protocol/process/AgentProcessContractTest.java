package io.edgeloop.protocol.process;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentProcessContractTest {

    @Test
    void readyLineRoundTripsAndIgnoresOtherOutput() {
        assertEquals("edgeloop agent ready on port 8080", AgentReadyLine.format(8080));
        assertEquals(OptionalInt.of(41234), AgentReadyLine.parse(AgentReadyLine.format(41234)));
        assertEquals(OptionalInt.of(41234), AgentReadyLine.parse("edgeloop agent ready on port 41234 \r"));
        assertTrue(AgentReadyLine.parse("edgeloop agent ready on port ").isEmpty());
        assertTrue(AgentReadyLine.parse("edgeloop agent ready on port 99999").isEmpty());
        assertTrue(AgentReadyLine.parse("agent ready on port 8080 in 800 ms").isEmpty());
        assertTrue(AgentReadyLine.parse(null).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> AgentReadyLine.format(0));
    }

    @Test
    void jvmOptionsSkipCommentsAndBlankLines() {
        assertEquals(List.of("-Xmx48m", "-XX:+UseSerialGC"),
                AgentCommandLine.parseJvmOptions(List.of("# heap", "", "  -Xmx48m  ", "-XX:+UseSerialGC", "   # gc")));
    }

    @Test
    void theCheckoutsJvmOptionsFileHoldsTheAgentsMemorySettings() throws Exception {
        Path file = Path.of("").toAbsolutePath().resolveSibling(AgentCommandLine.JVM_OPTIONS_FILE);
        List<String> options = AgentCommandLine.parseJvmOptions(Files.readAllLines(file));
        assertTrue(options.contains("-Xmx48m"), options.toString());
        assertTrue(options.stream().allMatch(o -> o.startsWith("-") && !o.contains(" ")), options.toString());
    }

    @Test
    void commandRunsTheAgentSubcommand() {
        List<String> command = AgentCommandLine.command(Path.of("/jdk/bin/java"), List.of("-Xmx48m"), "a.jar:lib/*",
                List.of("--http-port", "0"));
        assertEquals(List.of("/jdk/bin/java", "-Xmx48m", "-cp", "a.jar:lib/*", "io.edgeloop.agent.AgentMain", "agent",
                "--http-port", "0"), command);
    }
}
