package io.edgeloop.profiles.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What {@link HardwareProbe} found on a machine; the input of profile matching and part of the
 * agent's birth message.
 *
 * @param architecture   {@code uname -m} name: {@code x86_64}, {@code aarch64}, {@code riscv64}, ...
 * @param cpuVendor      {@code vendor_id} on x86, the implementer name on ARM; null when unknown
 * @param cpuModel       {@code model name} on x86, core name from the ARM part id, RISC-V {@code uarch}
 * @param cores          logical CPUs listed in {@code /proc/cpuinfo}
 * @param memTotalBytes  {@code MemTotal} from {@code /proc/meminfo}
 * @param cpuFeatures    feature flags (x86 {@code flags}, arm64 {@code Features}, RISC-V ISA extensions)
 * @param cpuParts       distinct ARM {@code CPU part} ids such as {@code 0xd08}; empty elsewhere
 * @param gpus           GPUs found; empty when none
 * @param boardModel     device-tree or DMI board name; null when the machine does not say
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HardwareInfo(String architecture, String cpuVendor, String cpuModel, int cores, long memTotalBytes,
                           SortedSet<String> cpuFeatures, List<String> cpuParts, List<GpuInfo> gpus,
                           String boardModel) {

    public HardwareInfo {
        if (architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("architecture is required");
        }
        cpuFeatures = Collections.unmodifiableSortedSet(new TreeSet<>(cpuFeatures == null ? Set.of() : cpuFeatures));
        cpuParts = List.copyOf(cpuParts == null ? List.of() : cpuParts);
        gpus = List.copyOf(gpus == null ? List.of() : gpus);
    }

    /** The flags as a {@link CpuFeatures} for capability questions. */
    public CpuFeatures features() {
        return CpuFeatures.of(cpuFeatures);
    }

    /** True when an NVIDIA GPU (discrete or Jetson) was found. */
    public boolean hasNvidiaGpu() {
        return gpus.stream().anyMatch(g -> GpuInfo.VENDOR_NVIDIA.equals(g.vendor()));
    }
}
