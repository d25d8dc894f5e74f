package io.edgeloop.bench.report;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportOptionsTest {
    static final List<String> SECTIONS = List.of("agent", "capture", "drift");

    @Test
    void defaultsRunEverySectionAtFullSizeIntoTheRootsReport() throws Exception {
        ReportOptions o = ReportOptions.parse(new String[] {"--root", "/repo"}, SECTIONS);
        assertFalse(o.quick());
        assertTrue(o.runs("agent") && o.runs("drift"));
        assertEquals(Path.of("/repo/BENCHMARKS.md"), o.out());
        assertEquals(Path.of("/repo/tests/target/benchmarks"), o.logs());
        assertEquals(2400, o.stepTimeoutSeconds());
        assertEquals("tests/benchmarks", o.commandLine());
    }

    @Test
    void quickAndOnlyNarrowTheRunAndShowInTheCommandLine() throws Exception {
        ReportOptions o = ReportOptions.parse(new String[] {"--root", "/repo", "--quick", "--only", "drift,capture"}, SECTIONS);
        assertTrue(o.quick());
        assertEquals(Set.of("drift", "capture"), o.only());
        assertFalse(o.runs("agent"));
        assertEquals(900, o.stepTimeoutSeconds());
        assertEquals("tests/benchmarks --quick --only capture,drift", o.commandLine());
    }

    @Test
    void anUnknownSectionIsNamedWithTheKnownOnes() {
        EdgeLoopException e = assertThrows(EdgeLoopException.class,
                () -> ReportOptions.parse(new String[] {"--only", "agent,rollouts"}, SECTIONS));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("'rollouts'") && e.getMessage().contains("agent, capture, drift"), e.getMessage());
    }

    @Test
    void badValuesAreRefused() {
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EdgeLoopException.class,
                () -> ReportOptions.parse(new String[] {"--step-timeout", "0"}, SECTIONS)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EdgeLoopException.class,
                () -> ReportOptions.parse(new String[] {"--out"}, SECTIONS)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EdgeLoopException.class,
                () -> ReportOptions.parse(new String[] {"--fast"}, SECTIONS)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EdgeLoopException.class,
                () -> ReportOptions.parse(new String[] {"--drift-model", "/nonexistent/model.onnx"}, SECTIONS)).code());
    }
}
