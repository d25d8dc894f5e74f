package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;
import java.util.List;

/**
 * What the agent's hardware probe found, as far as the server needs it to pick package variants.
 *
 * @param os operating system name, e.g. {@code Linux}
 * @param arch CPU architecture, e.g. {@code amd64} or {@code aarch64}
 * @param cpuModel CPU model string
 * @param cpuCores logical cores, {@code >= 1}
 * @param memoryBytes physical memory, {@code >= 0}
 * @param cpuFlags instruction-set features that matter to inference, e.g. {@code avx512_vnni}
 * @param accelerators GPUs or NPUs found, e.g. {@code NVIDIA H100}; may be empty
 */
public record HardwareSummary(String os, String arch, String cpuModel, int cpuCores, long memoryBytes,
                              List<String> cpuFlags, List<String> accelerators) {
    public HardwareSummary {
        FieldChecks.text("os", os);
        FieldChecks.text("arch", arch);
        FieldChecks.text("cpuModel", cpuModel);
        if (cpuCores < 1) {
            throw new InvalidFieldException("cpuCores", "must be >= 1, was " + cpuCores);
        }
        FieldChecks.nonNegative("memoryBytes", memoryBytes);
        cpuFlags = FieldChecks.textList("cpuFlags", cpuFlags);
        accelerators = FieldChecks.textList("accelerators", accelerators);
    }
}
