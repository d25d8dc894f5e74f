package io.edgeloop.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ProfileMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void detectPrintsHardwareProfileReasonAndScore() throws Exception {
        int code = run("profile", "detect", "--json", "--root", Fixtures.root("jetson-orin-nano").toString());
        assertEquals(0, code, err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals("jetson-orin-nano", json.at("/profile/id").asText());
        assertEquals("fp16", json.at("/profile/preferredPrecision").asText());
        assertEquals("aarch64", json.at("/hardware/architecture").asText());
        assertEquals(6, json.at("/hardware/cores").asInt());
        assertEquals("8.7", json.at("/hardware/gpus/0/computeCapability").asText());
        assertTrue(json.at("/reason").asText().contains("→ jetson-orin-nano"), json.at("/reason").asText());
        assertTrue(json.at("/score").asDouble() > 10);
    }

    @Test
    void listPrintsTheCatalogIds() {
        assertEquals(0, run("profile", "list"));
        for (String id : new String[] {"rpi4", "rpi5", "jetson-orin-nano", "x86-avx2-gateway", "x86-avx512-vnni-server",
                                       "generic-x86_64", "generic-aarch64"}) {
            assertTrue(out.toString().contains(id), id + " in " + out);
        }
    }

    @Test
    void showPrintsOneProfileAndRefusesUnknownIds() throws Exception {
        assertEquals(0, run("profile", "show", "rpi4"));
        assertEquals("rpi4", new ObjectMapper().readTree(out.toString()).at("/id").asText());
        assertEquals(1, run("profile", "show", "rpi9"));
        assertTrue(err.toString().contains("INVALID_ARGUMENT") && err.toString().contains("rpi9"), err.toString());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("profile", "detect", "--bogus"));
        assertTrue(err.toString().contains("--bogus"), err.toString());
        assertEquals(2, run("profile"));
        assertEquals(0, run("profile", "--help"));
        assertTrue(out.toString().contains("detect"), out.toString());
    }

    @Test
    void aBrokenCatalogIsReportedWithItsCode(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("index.yaml"), "profiles: [x.yaml]\n");
        Files.writeString(dir.resolve("x.yaml"), "id: x\nname: [\n");
        assertEquals(1, run("profile", "list", "--catalog", dir.toString()));
        assertTrue(err.toString().contains("PROFILE_CATALOG_INVALID") && err.toString().contains("x.yaml"),
                err.toString());
    }

    @Test
    void aMissingRootIsReportedWithItsCode(@TempDir Path dir) {
        assertEquals(1, run("profile", "detect", "--root", dir.resolve("nothing").toString()));
        assertTrue(err.toString().contains("HARDWARE_PROBE_FAILED"), err.toString());
    }
}
