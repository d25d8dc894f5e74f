package io.edgeloop.profiles.probe;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A GPU the probe found.
 *
 * @param vendor            {@code nvidia} (the only vendor probed today)
 * @param name              product name, e.g. "NVIDIA H100 80GB HBM3" or "Orin (Ampere iGPU)"
 * @param memoryBytes       dedicated memory; null when shared with the CPU or unknown
 * @param computeCapability CUDA compute capability such as "8.7"; null when unknown
 * @param integrated        true for an on-chip GPU sharing system RAM (Jetson)
 * @param source            where the probe saw it: {@code nvidia-smi}, a {@code /proc} or {@code /etc} path
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GpuInfo(String vendor, String name, Long memoryBytes, String computeCapability,
                      boolean integrated, String source) {

    public static final String VENDOR_NVIDIA = "nvidia";

    public GpuInfo {
        if (vendor == null || name == null || source == null) {
            throw new IllegalArgumentException("vendor, name and source are required");
        }
    }
}
