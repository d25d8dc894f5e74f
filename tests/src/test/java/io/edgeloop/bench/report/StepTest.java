package io.edgeloop.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StepTest {
    @Test
    void theDisplayedCommandCanBePastedIntoAShell() {
        assertEquals("tests/bench AgentBenchmark --requests 300",
                new Step("bench", List.of("tests/bench", "AgentBenchmark", "--requests", "300"), false).display());
        assertEquals("echo 'two words' 'it'\\''s'", new Step("x", List.of("echo", "two words", "it's"), false).display());
    }
}
