package io.edgeloop.profiles.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.profiles.Fixtures;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareProbeTest {

    private static HardwareInfo probe(String fixture) throws EdgeLoopException {
        return new HardwareProbe(Fixtures.root(fixture)).probe();
    }

    @Test
    void raspberryPi4() throws EdgeLoopException {
        HardwareInfo hw = probe("rpi4");
        assertEquals("aarch64", hw.architecture());
        assertEquals(4, hw.cores());
        assertEquals("ARM", hw.cpuVendor());
        assertEquals("Cortex-A72", hw.cpuModel());
        assertEquals(List.of("0xd08"), hw.cpuParts());
        assertEquals(3882752L * 1024, hw.memTotalBytes());
        assertEquals("Raspberry Pi 4 Model B Rev 1.4", hw.boardModel(), "device-tree model without its NUL");
        assertFalse(hw.features().hasInt8DotProduct());
        assertFalse(hw.features().hasFp16Arithmetic());
        assertTrue(hw.features().hasSimd());
        assertTrue(hw.gpus().isEmpty());
    }

    @Test
    void raspberryPi5WithoutDeviceTreeStillKnowsItsCores() throws EdgeLoopException {
        HardwareInfo hw = probe("rpi5-no-board");
        assertEquals("aarch64", hw.architecture(), "inferred from the Features line");
        assertEquals("Cortex-A76", hw.cpuModel());
        assertNull(hw.boardModel());
        assertTrue(hw.features().hasInt8DotProduct());
        assertTrue(hw.features().hasFp16Arithmetic());
    }

    @Test
    void raspberryPi5BoardFromDeviceTree() throws EdgeLoopException {
        assertEquals("Raspberry Pi 5 Model B Rev 1.0", probe("rpi5").boardModel());
    }

    @Test
    void jetsonOrinNanoHasItsIntegratedGpu() throws EdgeLoopException {
        HardwareInfo hw = probe("jetson-orin-nano");
        assertEquals(6, hw.cores());
        assertEquals("Cortex-A78AE", hw.cpuModel());
        assertEquals("NVIDIA Jetson Orin Nano Developer Kit", hw.boardModel());
        assertEquals(1, hw.gpus().size());
        GpuInfo gpu = hw.gpus().get(0);
        assertEquals("8.7", gpu.computeCapability());
        assertTrue(gpu.integrated());
        assertEquals("/etc/nv_tegra_release", gpu.source());
        assertTrue(hw.hasNvidiaGpu());
    }

    @Test
    void x86ServerWithVnni() throws EdgeLoopException {
        HardwareInfo hw = probe("x86-avx512-vnni-server");
        assertEquals("x86_64", hw.architecture());
        assertEquals(16, hw.cores());
        assertEquals("GenuineIntel", hw.cpuVendor());
        assertEquals("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", hw.cpuModel());
        assertEquals("m6i.4xlarge", hw.boardModel(), "DMI product name");
        assertTrue(hw.features().hasAvx512());
        assertTrue(hw.features().hasInt8DotProduct());
        assertTrue(hw.cpuParts().isEmpty());
    }

    @Test
    void x86GatewayHasAvx2ButNoDotProduct() throws EdgeLoopException {
        HardwareInfo hw = probe("x86-avx2-gateway");
        assertEquals(8, hw.cores());
        assertTrue(hw.features().hasAvx2Fma());
        assertFalse(hw.features().hasAvx512());
        assertFalse(hw.features().hasInt8DotProduct());
    }

    @Test
    void discreteGpuFromDriverFiles() throws EdgeLoopException {
        HardwareInfo hw = probe("aws-g4dn-t4");
        assertEquals(1, hw.gpus().size());
        assertEquals("Tesla T4", hw.gpus().get(0).name());
        assertFalse(hw.gpus().get(0).integrated());
        assertEquals("/proc/driver/nvidia/gpus/0000:00:1e.0", hw.gpus().get(0).source());
    }

    @Test
    void riscvIsaBecomesFeatures() throws EdgeLoopException {
        HardwareInfo hw = probe("generic-riscv64");
        assertEquals("riscv64", hw.architecture(), "inferred from the isa line");
        assertEquals("sifive,u74-mc", hw.cpuModel());
        assertTrue(hw.cpuFeatures().containsAll(List.of("i", "m", "a", "f", "d", "c", "zba", "zbb")));
        assertFalse(hw.cpuFeatures().contains("v"));
        assertEquals("StarFive VisionFive 2 v1.3B", hw.boardModel());
    }

    @Test
    void missingCpuinfoFailsNamingThePath(@TempDir Path root) {
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> new HardwareProbe(root).probe());
        assertEquals(ErrorCode.HARDWARE_PROBE_FAILED, e.code());
        assertTrue(e.getMessage().contains("proc/cpuinfo"), e.getMessage());
    }

    @Test
    void meminfoWithoutMemTotalFails(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.copy(Fixtures.root("rpi4").resolve("proc/cpuinfo"), root.resolve("proc/cpuinfo"));
        Files.writeString(root.resolve("proc/meminfo"), "MemFree: 10 kB\n");
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> new HardwareProbe(root).probe());
        assertTrue(e.getMessage().contains("MemTotal"), e.getMessage());
    }

    @Test
    void nvidiaSmiCsvIsParsed() {
        List<GpuInfo> gpus = NvidiaGpus.parseNvidiaSmi(
                "NVIDIA H100 80GB HBM3, 81559 MiB, 9.0\nOrin (nvgpu), [N/A], 8.7\n\n");
        assertEquals(2, gpus.size());
        assertEquals("NVIDIA H100 80GB HBM3", gpus.get(0).name());
        assertEquals(81559L << 20, gpus.get(0).memoryBytes());
        assertEquals("9.0", gpus.get(0).computeCapability());
        assertNull(gpus.get(1).memoryBytes());
        assertThrows(IllegalArgumentException.class, () -> NvidiaGpus.parseNvidiaSmi("garbage"));
    }

    @Test
    void fixtureRootsNeverRunNvidiaSmi() {
        assertFalse(ProbeOptions.forRoot(Fixtures.root("rpi4")).runNvidiaSmi());
        assertTrue(ProbeOptions.forRoot(Path.of("/")).runNvidiaSmi());
    }

    @Test
    void jvmArchitectureNamesAreNormalised() {
        assertEquals("x86_64", HardwareProbe.normalizeArch("amd64"));
        assertEquals("aarch64", HardwareProbe.normalizeArch("arm64"));
        assertEquals("riscv64", HardwareProbe.normalizeArch("riscv64"));
    }
}
