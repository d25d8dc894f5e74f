package io.edgeloop.packageformat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.OutputBaseline;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestJsonTest {
    private static final FileEntry MODEL = new FileEntry("model.onnx", "ab".repeat(32), 1234);

    @Test
    void canonicalBytesAreStableThroughParseAndReserialise() throws Exception {
        Manifest manifest = TestPackages.manifest(MODEL, VariantConstraints.ANY);
        byte[] bytes = ManifestJson.canonicalBytes(manifest);
        Manifest parsed = ManifestJson.parse(bytes);
        assertArrayEquals(bytes, ManifestJson.canonicalBytes(parsed));
        assertEquals(manifest.name(), parsed.name());
        assertEquals(manifest.files(), parsed.files());
        assertEquals(manifest.variants(), parsed.variants());
        assertEquals(manifest.baseline().inputs().size(), parsed.baseline().inputs().size());
        assertArrayEquals(manifest.baseline().inputs().get(0).reference(), parsed.baseline().inputs().get(0).reference());
    }

    @Test
    void canonicalBytesSortKeysAtEveryLevelWithoutWhitespace() throws Exception {
        byte[] bytes = ManifestJson.canonicalBytes(TestPackages.manifest(MODEL, VariantConstraints.ANY));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertFalse(text.contains("\n") || text.contains(": ") || text.contains(", "), "no insignificant whitespace");
        assertSorted(ManifestJson.mapper().readTree(bytes));
        assertTrue(text.startsWith("{\"baseline\":"), text.substring(0, 40));
    }

    @Test
    void unmeasuredAccuracySurvivesAsNaN() throws Exception {
        Manifest m = TestPackages.manifest(MODEL, VariantConstraints.ANY);
        OutputBaseline o = m.baseline().outputs();
        DriftBaseline unlabelled = new DriftBaseline(m.baseline().samples(), false, m.baseline().inputs(),
                new OutputBaseline(o.classes(), o.classFractions(), o.confidenceEdges(), o.confidenceFractions(),
                        o.meanConfidence(), Double.NaN));
        Manifest withNaN = new Manifest(1, m.name(), m.version(), m.createdAt(), m.framework(), m.files(), m.inputs(),
                m.outputs(), m.preprocessing(), m.labels(), m.variants(), m.metrics(), m.lineage(), unlabelled);
        byte[] bytes = ManifestJson.canonicalBytes(withNaN);
        Manifest parsed = ManifestJson.parse(bytes);
        assertTrue(Double.isNaN(parsed.baseline().outputs().accuracy()));
        assertArrayEquals(bytes, ManifestJson.canonicalBytes(parsed));
    }

    @Test
    void formatVersionIsReadBeforeTheRest() throws Exception {
        byte[] future = "{\"formatVersion\":7,\"somethingNew\":[1,2]}".getBytes(StandardCharsets.UTF_8);
        assertEquals(7, ManifestJson.formatVersion(future));
        PackageException e = assertThrows(PackageException.class, () -> ManifestJson.parse(future));
        assertEquals(ErrorCode.PACKAGE_MANIFEST_INVALID, e.code());
    }

    @Test
    void garbageManifestIsManifestInvalid() {
        PackageException e = assertThrows(PackageException.class,
                () -> ManifestJson.formatVersion("{not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.PACKAGE_MANIFEST_INVALID, e.code());
    }

    @Test
    void manifestRefusesBadVersionsNamesAndDanglingVariants() {
        Manifest ok = TestPackages.manifest(MODEL, VariantConstraints.ANY);
        assertThrows(IllegalArgumentException.class, () -> withVersion(ok, "1.2"));
        assertThrows(IllegalArgumentException.class, () -> withVersion(ok, "v1.2.0"));
        assertEquals("1.2.0-rc.1+build.5", withVersion(ok, "1.2.0-rc.1+build.5").version());
        IllegalArgumentException dangling = assertThrows(IllegalArgumentException.class, () -> new Manifest(1, ok.name(),
                ok.version(), ok.createdAt(), "onnx", List.of(), ok.inputs(), ok.outputs(), ok.preprocessing(), ok.labels(),
                ok.variants(), ok.metrics(), ok.lineage(), ok.baseline()));
        assertTrue(dangling.getMessage().contains("model.onnx"));
        assertThrows(IllegalArgumentException.class, () -> new FileEntry("m.onnx", "XYZ", 1));
    }

    private static Manifest withVersion(Manifest m, String version) {
        return new Manifest(m.formatVersion(), m.name(), version, m.createdAt(), m.framework(), m.files(), m.inputs(),
                m.outputs(), m.preprocessing(), m.labels(), m.variants(), m.metrics(), m.lineage(), m.baseline());
    }

    private static void assertSorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(null);
            assertEquals(sorted, names);
            node.forEach(ManifestJsonTest::assertSorted);
        } else if (node.isArray()) {
            node.forEach(ManifestJsonTest::assertSorted);
        }
    }
}
