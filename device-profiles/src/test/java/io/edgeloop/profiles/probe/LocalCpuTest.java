package io.edgeloop.profiles.probe;

import io.edgeloop.profiles.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalCpuTest {
    private static LocalCpu cpu(String fixture) {
        return LocalCpu.read(Fixtures.root(fixture).resolve("proc/cpuinfo"));
    }

    @Test
    void int8WeightsNeedSevenBitsOnlyOnX86WithoutVnni() {
        LocalCpu avx2 = cpu("x86-avx2-gateway");
        assertEquals("Intel(R) Core(TM) i5-8365UE CPU @ 1.60GHz", avx2.model());
        assertTrue(avx2.features().needsReducedInt8Range());
        assertFalse(cpu("x86-avx512-vnni-server").features().needsReducedInt8Range());
        assertFalse(cpu("rpi5").features().needsReducedInt8Range(), "arm64 has no u8s8 saturation");
        assertFalse(cpu("generic-riscv64").features().needsReducedInt8Range());
    }

    @Test
    void anUnreadableFileKnowsNoFeatureAndKeepsFullRange() {
        LocalCpu none = LocalCpu.read(Path.of("/nonexistent/cpuinfo"));
        assertEquals(System.getProperty("os.arch"), none.model());
        assertTrue(none.features().flags().isEmpty());
        assertFalse(none.features().needsReducedInt8Range());
        assertNotNull(LocalCpu.get().model());
    }
}
