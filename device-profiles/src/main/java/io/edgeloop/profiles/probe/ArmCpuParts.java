package io.edgeloop.profiles.probe;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Names for ARM {@code CPU implementer} and {@code CPU part} ids, because arm64
 * {@code /proc/cpuinfo} has no model name. Ids are from Arm's Technical Reference Manuals
 * (MIDR_EL1.PartNum) for the cores EdgeLoop's device classes use.
 */
final class ArmCpuParts {
    private static final Map<String, String> IMPLEMENTERS = Map.of(
            "0x41", "ARM",
            "0x4e", "NVIDIA",
            "0x51", "Qualcomm",
            "0x61", "Apple",
            "0xc0", "Ampere");

    private static final Map<String, String> ARM_PARTS = Map.ofEntries(
            Map.entry("0xd03", "Cortex-A53"),
            Map.entry("0xd04", "Cortex-A35"),
            Map.entry("0xd05", "Cortex-A55"),
            Map.entry("0xd07", "Cortex-A57"),
            Map.entry("0xd08", "Cortex-A72"),
            Map.entry("0xd09", "Cortex-A73"),
            Map.entry("0xd0a", "Cortex-A75"),
            Map.entry("0xd0b", "Cortex-A76"),
            Map.entry("0xd0c", "Neoverse-N1"),
            Map.entry("0xd0d", "Cortex-A77"),
            Map.entry("0xd40", "Neoverse-V1"),
            Map.entry("0xd41", "Cortex-A78"),
            Map.entry("0xd42", "Cortex-A78AE"),
            Map.entry("0xd44", "Cortex-X1"),
            Map.entry("0xd46", "Cortex-A510"),
            Map.entry("0xd47", "Cortex-A710"),
            Map.entry("0xd49", "Neoverse-N2"),
            Map.entry("0xd4f", "Neoverse-V2"));

    private ArmCpuParts() {
    }

    static String implementerName(String implementer) {
        return IMPLEMENTERS.getOrDefault(implementer.toLowerCase(Locale.ROOT), "implementer " + implementer);
    }

    /** "Cortex-A72" or, for big.LITTLE parts, "Cortex-A76 + Cortex-A55". */
    static String describe(String implementer, Collection<String> parts) {
        boolean arm = "0x41".equalsIgnoreCase(implementer);
        return parts.stream()
                .map(p -> arm ? ARM_PARTS.getOrDefault(p, "ARM part " + p) : implementerName(implementer) + " part " + p)
                .collect(Collectors.joining(" + "));
    }
}
