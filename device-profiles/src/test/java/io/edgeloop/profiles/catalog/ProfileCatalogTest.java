package io.edgeloop.profiles.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCatalogTest {
    private static final String GOOD = """
            id: box
            name: Test box
            architecture: x86_64
            cores: 4
            memoryOptions: [8GiB]
            cpuFeatures: [avx2]
            preferredEngines: [onnxruntime]
            preferredPrecision: fp32
            intraOpThreads: 2
            maxPackageSizeBytes: 100MiB
            captureBufferQuotaBytes: 1GiB
            """;

    @TempDir
    Path dir;

    @Test
    void defaultCatalogHoldsTheDocumentedClasses() throws EdgeLoopException {
        ProfileCatalog catalog = ProfileCatalog.loadDefault();
        assertTrue(catalog.ids().containsAll(List.of("rpi4", "rpi5", "jetson-orin-nano", "x86-avx2-gateway",
                "x86-avx512-vnni-server", "generic-x86_64", "generic-aarch64", "generic-riscv64")), catalog.ids().toString());
        for (String arch : List.of("x86_64", "aarch64", "riscv64")) {
            assertTrue(catalog.genericFor(arch).isPresent(), "generic profile for " + arch);
        }
        for (DeviceProfile p : catalog.profiles()) {
            assertFalse(p.notes() == null || p.notes().isBlank(), p.id() + " explains its choices in notes");
        }
    }

    @Test
    void vendorFiguresSurviveLoading() throws EdgeLoopException {
        ProfileCatalog catalog = ProfileCatalog.loadDefault();
        DeviceProfile jetson = catalog.find("jetson-orin-nano").orElseThrow();
        assertEquals(Precision.FP16, jetson.preferredPrecision());
        assertEquals(List.of("onnxruntime-cuda", "onnxruntime"), jetson.preferredEngines());
        assertEquals(6, jetson.cores());
        assertTrue(jetson.requiresCuda());
        assertEquals("8.7", jetson.accelerators().get(0).computeCapability());
        assertTrue(jetson.accelerators().get(0).memoryShared());
        assertEquals(List.of(4L << 30, 8L << 30), jetson.memoryOptions());

        DeviceProfile pi4 = catalog.find("rpi4").orElseThrow();
        assertEquals(Precision.FP32, pi4.preferredPrecision());
        assertFalse(pi4.cpuFeatures().contains("asimddp"));
        assertEquals(List.of("0xd08"), pi4.cpuParts());
        assertEquals(256L << 20, pi4.maxPackageSizeBytes());

        DeviceProfile pi5 = catalog.find("rpi5").orElseThrow();
        assertTrue(pi5.cpuFeatures().contains("asimddp"));
        assertEquals(Precision.INT8, pi5.preferredPrecision());

        DeviceProfile server = catalog.find("x86-avx512-vnni-server").orElseThrow();
        assertEquals(List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni"),
                List.copyOf(server.cpuFeatures()), "features keep their YAML order");
    }

    @Test
    void aDirectoryCatalogLoads() throws Exception {
        ProfileCatalog catalog = catalog(GOOD);
        assertEquals(List.of("box"), catalog.ids());
        assertEquals(100L << 20, catalog.profiles().get(0).maxPackageSizeBytes());
    }

    @Test
    void brokenYamlIsRefusedNamingTheFile() throws Exception {
        EdgeLoopException e = refused(GOOD + "notes: \"unterminated\nmore: x\n");
        assertTrue(e.getMessage().contains("box.yaml") && e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void badValuesAreRefusedNamingTheField() throws Exception {
        assertNamesField(GOOD.replace("cores: 4", "cores: -1"), "cores");
        assertNamesField(GOOD.replace("cores: 4\n", ""), "cores");
        assertNamesField(GOOD.replace("fp32", "int4"), "preferredPrecision");
        assertNamesField(GOOD.replace("[onnxruntime]", "[onnxruntim]"), "preferredEngines");
        assertNamesField(GOOD.replace("100MiB", "lots"), "maxPackageSizeBytes");
        assertNamesField(GOOD.replace("intraOpThreads: 2", "intraOpThreads: 9"), "intraOpThreads");
        assertNamesField(GOOD + "coresPerSocket: 2\n", "coresPerSocket");
        assertNamesField(GOOD.replace("architecture: x86_64", "architecture: sparc"), "architecture");
        assertNamesField(GOOD + "accelerators: [{type: cuda}]\n", "accelerators.name");
    }

    @Test
    void indexProblemsAreRefused() throws Exception {
        Files.writeString(dir.resolve("index.yaml"), "profiles: [box.yaml, missing.yaml]\n");
        Files.writeString(dir.resolve("box.yaml"), GOOD);
        EdgeLoopException missing = assertThrows(EdgeLoopException.class, () -> ProfileCatalog.loadDirectory(dir));
        assertTrue(missing.getMessage().contains("missing.yaml: the file is missing"), missing.getMessage());

        Files.writeString(dir.resolve("index.yaml"), "profiles: [other.yaml]\n");
        Files.writeString(dir.resolve("other.yaml"), GOOD);
        EdgeLoopException misnamed = assertThrows(EdgeLoopException.class, () -> ProfileCatalog.loadDirectory(dir));
        assertTrue(misnamed.getMessage().contains("field 'id' is 'box'"), misnamed.getMessage());

        Files.writeString(dir.resolve("index.yaml"), "profiles: []\n");
        EdgeLoopException empty = assertThrows(EdgeLoopException.class, () -> ProfileCatalog.loadDirectory(dir));
        assertTrue(empty.getMessage().contains("index.yaml"), empty.getMessage());
    }

    @Test
    void byteSizesReadLikeDatasheets() {
        assertEquals(4L << 30, ByteSize.parse("4GiB"));
        assertEquals(1_500_000_000L, ByteSize.parse("1.5 GB"));
        assertEquals(81559L << 20, ByteSize.parse("81559 MiB"));
        assertEquals(123, ByteSize.parse("123"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("4 gallons"));
        assertEquals("1.5 GiB", ByteSize.format(3L << 29));
    }

    private void assertNamesField(String yaml, String field) throws Exception {
        EdgeLoopException e = refused(yaml);
        assertTrue(e.getMessage().contains("box.yaml") && e.getMessage().contains("'" + field),
                "message names box.yaml and field " + field + ": " + e.getMessage());
    }

    private EdgeLoopException refused(String yaml) throws IOException {
        Files.writeString(dir.resolve("index.yaml"), "profiles: [box.yaml]\n");
        Files.writeString(dir.resolve("box.yaml"), yaml);
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> ProfileCatalog.loadDirectory(dir));
        assertEquals(ErrorCode.PROFILE_CATALOG_INVALID, e.code());
        return e;
    }

    private ProfileCatalog catalog(String yaml) throws Exception {
        Files.writeString(dir.resolve("index.yaml"), "profiles: [box.yaml]\n");
        Files.writeString(dir.resolve("box.yaml"), yaml);
        return ProfileCatalog.loadDirectory(dir);
    }
}
