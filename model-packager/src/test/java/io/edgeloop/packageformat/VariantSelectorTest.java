package io.edgeloop.packageformat;

import io.edgeloop.fixtures.TestPackages;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VariantSelectorTest {
    private final VariantSelector selector = new VariantSelector(KnownProfiles.ALL);

    @Test
    void catalogProfilesAreKnown() {
        assertTrue(KnownProfiles.ids().containsAll(List.of("rpi4", "rpi5", "jetson-orin-nano", "x86-avx2-gateway",
                "x86-avx512-vnni-server", "generic-x86_64", "generic-aarch64")), KnownProfiles.ids().toString());
    }

    @Test
    void featureConstraintsPickTheVariantEachDeviceClassCanRun() {
        Manifest m = twoVariants();
        assertEquals("int8", selector.select(m, "x86-avx512-vnni-server").orElseThrow().id());
        assertEquals("int8", selector.select(m, "rpi5").orElseThrow().id());
        assertEquals("fp32", selector.select(m, "generic-x86_64").orElseThrow().id());
        assertEquals("fp32", selector.select(m, "rpi4").orElseThrow().id());
        assertTrue(selector.select(m, "no-such-profile").isEmpty());
    }

    @Test
    void variantListingProfilesSuitsExactlyThose() {
        Variant only = new Variant("int8", "model.onnx", "int8",
                new VariantConstraints(List.of("rpi5"), null, List.of()), null);
        assertEquals(List.of("rpi5"), selector.profilesFor(only).stream().map(ProfileTraits::id).toList());
    }

    private static Manifest twoVariants() {
        FileEntry fp32 = new FileEntry("model.onnx", "ab".repeat(32), 100);
        FileEntry int8 = new FileEntry("model.int8.onnx", "cd".repeat(32), 40);
        Manifest base = TestPackages.manifest(fp32, VariantConstraints.ANY);
        // int8 where the CPU has an int8 dot product: VNNI on x86, SDOT/UDOT (asimddp) on ARM.
        Variant a = new Variant("int8", int8.path(), "int8", new VariantConstraints(
                List.of("x86-avx512-vnni-server", "rpi5", "jetson-orin-nano"), null, List.of()), null);
        Variant b = new Variant("fp32", fp32.path(), "fp32", VariantConstraints.ANY, null);
        return new Manifest(1, base.name(), base.version(), base.createdAt(), "onnx", List.of(fp32, int8), base.inputs(),
                base.outputs(), base.preprocessing(), base.labels(), List.of(b, a),
                new MetricsSummary("x", 1, "fp32"), base.lineage(), base.baseline());
    }
}
