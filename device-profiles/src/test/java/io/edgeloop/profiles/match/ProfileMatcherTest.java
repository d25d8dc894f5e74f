package io.edgeloop.profiles.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.profiles.Fixtures;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.profiles.catalog.ProfileCatalog;
import io.edgeloop.profiles.probe.HardwareInfo;
import io.edgeloop.profiles.probe.HardwareProbe;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileMatcherTest {
    private static ProfileCatalog catalog;

    @BeforeAll
    static void loadCatalog() throws EdgeLoopException {
        catalog = ProfileCatalog.loadDefault();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            rpi4                   | rpi4                   | board 'Raspberry Pi 4 Model B Rev 1.4'
            rpi5                   | rpi5                   | with asimd, asimdhp, asimddp
            rpi5-no-board          | rpi5                   | CPU part 0xd0b (Cortex-A76)
            jetson-orin-nano       | jetson-orin-nano       | NVIDIA GPU 'Orin (Ampere iGPU)'
            x86-avx2-gateway       | x86-avx2-gateway       | x86_64 with avx, avx2, fma
            x86-avx512-vnni-server | x86-avx512-vnni-server | avx512f, avx512_vnni
            aws-g4dn-t4            | x86-avx512-vnni-server | avx512_vnni
            amd-epyc-zen3-vm       | x86-avx2-gateway       | not x86-avx512-vnni-server (missing avx512f
            generic-x86_64         | generic-x86_64         | not x86-avx2-gateway (missing avx, avx2, fma)
            generic-aarch64        | generic-aarch64        | not rpi5 (board 'm6g.xlarge' does not match)
            generic-riscv64        | generic-riscv64        | riscv64 with no more specific match
            """)
    void eachFixtureMatchesItsClass(String fixture, String expectedId, String reasonPart) throws EdgeLoopException {
        HardwareInfo hw = new HardwareProbe(Fixtures.root(fixture)).probe();
        ProfileMatch match = new ProfileMatcher(catalog).match(hw);
        assertEquals(expectedId, match.profile().id(), match.reason());
        assertTrue(match.reason().contains("→ " + expectedId), match.reason());
        assertTrue(match.reason().contains(reasonPart), "reason mentions '" + reasonPart + "': " + match.reason());
    }

    @Test
    void specificProfilesOutscoreGenericOnes() throws EdgeLoopException {
        ProfileMatch specific = new ProfileMatcher(catalog).match(probe("rpi4"));
        ProfileMatch generic = new ProfileMatcher(catalog).match(probe("generic-aarch64"));
        assertTrue(specific.score() > generic.score(), specific.score() + " vs " + generic.score());
        assertTrue(generic.score() <= 10, "generic fallbacks score at most 10: " + generic.score());
    }

    @Test
    void jetsonWithoutAVisibleGpuFallsBackToGeneric() throws EdgeLoopException {
        HardwareInfo jetson = probe("jetson-orin-nano");
        HardwareInfo hidden = new HardwareInfo(jetson.architecture(), jetson.cpuVendor(), jetson.cpuModel(),
                jetson.cores(), jetson.memTotalBytes(), jetson.cpuFeatures(), jetson.cpuParts(), List.of(),
                jetson.boardModel());
        ProfileMatch match = new ProfileMatcher(catalog).match(hidden);
        assertEquals("generic-aarch64", match.profile().id());
        assertTrue(match.reason().contains("jetson-orin-nano (needs an NVIDIA GPU, none found)"), match.reason());
    }

    @Test
    void anArchitectureWithoutProfilesIsRefused() throws Exception {
        List<DeviceProfile> x86Only = catalog.profiles().stream()
                .filter(p -> p.architecture().equals("x86_64")).collect(Collectors.toList());
        EdgeLoopException e = assertThrows(EdgeLoopException.class,
                () -> new ProfileMatcher(new ProfileCatalog(x86Only)).match(probe("generic-riscv64")));
        assertEquals(ErrorCode.NO_DEVICE_PROFILE, e.code());
        assertTrue(e.getMessage().contains("riscv64"), e.getMessage());
    }

    /** The acceptance check: the build machine's CPU is the AVX-512 VNNI server class. */
    @Test
    void liveMachineWithVnniIsTheVnniServer() throws Exception {
        Assumptions.assumeTrue(liveCpuHas("avx512_vnni"),
                "this machine's /proc/cpuinfo has no avx512_vnni flag, so it is not the VNNI server class");
        ProfileMatch match = new ProfileMatcher(catalog).match(new HardwareProbe(Path.of("/")).probe());
        assertEquals("x86-avx512-vnni-server", match.profile().id(), match.reason());
    }

    /** Whatever the build machine is, the live probe must match some profile with a reason. */
    @Test
    void liveMachineMatchesSomething() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/cpuinfo")), "no /proc/cpuinfo: not Linux");
        HardwareInfo hw = new HardwareProbe(Path.of("/")).probe();
        ProfileMatch match = new ProfileMatcher(catalog).match(hw);
        assertEquals(hw.architecture(), match.profile().architecture());
        assertTrue(hw.cores() >= 1 && hw.memTotalBytes() > 0, hw.toString());
        assertTrue(match.reason().contains("→ " + match.profile().id()), match.reason());
        if (hw.cpuFeatures().containsAll(List.of("avx2", "fma", "avx")) && !hw.features().hasAvx512()) {
            assertEquals("x86-avx2-gateway", match.profile().id(), match.reason());
        }
    }

    private static boolean liveCpuHas(String flag) throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        return Files.isReadable(cpuinfo) && Files.readAllLines(cpuinfo).stream()
                .anyMatch(l -> l.startsWith("flags") && List.of(l.split("\\s+")).contains(flag));
    }

    private static HardwareInfo probe(String fixture) throws EdgeLoopException {
        return new HardwareProbe(Fixtures.root(fixture)).probe();
    }
}
