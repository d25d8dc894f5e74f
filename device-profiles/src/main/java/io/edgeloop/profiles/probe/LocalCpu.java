package io.edgeloop.profiles.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This machine's CPU as {@code /proc/cpuinfo} describes it, read with the parser
 * {@link HardwareProbe} uses, for callers that need only the CPU (the quantizer asks whether
 * int8 needs 7-bit weights; benchmarks print the model) and not the memory, board and GPU
 * probe. Where the file cannot be read, the model is the JVM's {@code os.arch} and no feature
 * is known.
 *
 * @param model    the CPU's name, e.g. "AMD EPYC 7B13"
 * @param features its feature flags
 */
public record LocalCpu(String model, CpuFeatures features) {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private static final class Live {
        static final LocalCpu CPU = read(CPUINFO);
    }

    /** The CPU this JVM runs on, read once. */
    public static LocalCpu get() {
        return Live.CPU;
    }

    /** The CPU a {@code cpuinfo} file describes. */
    public static LocalCpu read(Path cpuinfo) {
        String fallback = System.getProperty("os.arch", "unknown");
        try {
            CpuInfo info = CpuInfo.parse(Files.readString(cpuinfo));
            return new LocalCpu(info.model() != null ? info.model() : fallback, CpuFeatures.of(info.flags()));
        } catch (IOException | RuntimeException e) {
            return new LocalCpu(fallback, CpuFeatures.of(List.of()));
        }
    }
}
