package io.edgeloop.profiles.probe;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The parts of {@code /proc/cpuinfo} profile matching needs. The file differs per architecture:
 * x86 repeats {@code model name} and {@code flags} for each logical CPU, arm64 lists
 * {@code Features}, {@code CPU implementer} and {@code CPU part} per core (no model name), and
 * RISC-V gives {@code isa} and {@code uarch}; Raspberry Pi kernels append a {@code Model} line.
 *
 * @param cores        number of {@code processor : N} entries
 * @param vendor       x86 {@code vendor_id} or the ARM implementer's name; null if absent
 * @param model        a human CPU name; null if the file does not allow one
 * @param flags        feature flags of the first CPU (all CPUs of one machine normally agree)
 * @param armParts     distinct ARM part ids, lower-case hex such as {@code 0xd08}
 * @param architecture architecture implied by the file's shape, or null when it does not tell
 * @param boardModel   the {@code Model} line some ARM kernels print, or null
 */
record CpuInfo(int cores, String vendor, String model, SortedSet<String> flags, List<String> armParts,
               String architecture, String boardModel) {

    /** Parses the text of a {@code /proc/cpuinfo} file. */
    static CpuInfo parse(String text) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (String line : text.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                entries.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
        }
        int cores = 0;
        String vendor = null;
        String modelName = null;
        String uarch = null;
        String boardModel = null;
        String x86Flags = null;
        String armFeatures = null;
        String isa = null;
        String implementer = null;
        Set<String> parts = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : entries) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                // Old 32-bit ARM kernels print "Processor : ARMv7 ..." as a name, not an index.
                case "processor" -> cores += value.matches("\\d+") ? 1 : 0;
                case "vendor_id" -> vendor = first(vendor, value);
                case "model name" -> modelName = first(modelName, value);
                case "uarch" -> uarch = first(uarch, value);
                case "Model" -> boardModel = first(boardModel, value);
                case "flags" -> x86Flags = first(x86Flags, value);
                case "Features" -> armFeatures = first(armFeatures, value);
                case "isa" -> isa = first(isa, value);
                case "CPU implementer" -> implementer = first(implementer, value);
                case "CPU part" -> parts.add(value.toLowerCase(java.util.Locale.ROOT));
                default -> {
                    // other keys (bogomips, cache size, ...) do not affect matching
                }
            }
        }
        SortedSet<String> flags = new TreeSet<>();
        String architecture = null;
        if (x86Flags != null) {
            flags.addAll(words(x86Flags));
            architecture = flags.contains("lm") ? "x86_64" : "i686";
        } else if (armFeatures != null) {
            flags.addAll(words(armFeatures));
            // arm64 kernels always list asimd; 32-bit ones say neon/vfp instead
            boolean arm64 = flags.contains("asimd") || (flags.contains("fp") && !flags.contains("vfp"));
            architecture = arm64 ? "aarch64" : "armv7l";
        } else if (isa != null) {
            flags.addAll(RiscvIsa.extensions(isa));
            architecture = isa.startsWith("rv64") ? "riscv64" : isa.startsWith("rv32") ? "riscv32" : null;
        }
        if (vendor == null && implementer != null) {
            vendor = ArmCpuParts.implementerName(implementer);
        }
        String model = modelName;
        if (model == null && !parts.isEmpty() && implementer != null) {
            model = ArmCpuParts.describe(implementer, parts);
        }
        if (model == null) {
            model = uarch;
        }
        return new CpuInfo(cores, vendor, model, flags, List.copyOf(parts), architecture, boardModel);
    }

    private static String first(String current, String value) {
        return current != null ? current : value;
    }

    private static List<String> words(String value) {
        return List.of(value.trim().split("\\s+"));
    }
}
