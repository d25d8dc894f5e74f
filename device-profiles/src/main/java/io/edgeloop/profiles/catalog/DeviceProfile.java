package io.edgeloop.profiles.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.edgeloop.protocol.InvalidFieldException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One device class: what the hardware is (vendor figures) and how EdgeLoop runs models on it.
 * Immutable and validated on construction, so a catalog that loads holds only usable profiles.
 *
 * @param id                      stable identifier used in packages and births, e.g. {@code rpi4}
 * @param name                    human name of the class
 * @param architecture            {@code uname -m} name: {@code x86_64}, {@code aarch64}, {@code riscv64}
 * @param cpuModel                vendor description of the CPU
 * @param cores                   logical CPUs the OS shows
 * @param maxClockMhz             vendor maximum clock
 * @param memoryOptions           RAM sizes the class ships with, bytes
 * @param accelerators            GPUs and other accelerators; a CUDA one is required to match
 * @param cpuFeatures             {@code /proc/cpuinfo} flag names the hardware must show to match
 * @param cpuParts                ARM {@code CPU part} ids of the class's cores, e.g. {@code 0xd08}
 * @param boardModels             board names (device-tree model substrings); non-empty = board-specific
 * @param preferredEngines        inference engines to try, best first
 * @param preferredPrecision      precision to run at by preference
 * @param intraOpThreads          threads per inference session
 * @param maxPackageSizeBytes     largest package the device accepts
 * @param captureBufferQuotaBytes disk the capture buffer may use
 * @param generic                 true for the per-architecture fallback profile
 * @param notes                   why the choices above were made
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceProfile(
        String id,
        String name,
        String architecture,
        String cpuModel,
        int cores,
        int maxClockMhz,
        @JsonDeserialize(contentUsing = ByteSize.Deserializer.class) List<Long> memoryOptions,
        List<Accelerator> accelerators,
        @JsonDeserialize(as = LinkedHashSet.class) Set<String> cpuFeatures,
        List<String> cpuParts,
        List<String> boardModels,
        List<String> preferredEngines,
        Precision preferredPrecision,
        int intraOpThreads,
        @JsonDeserialize(using = ByteSize.Deserializer.class) long maxPackageSizeBytes,
        @JsonDeserialize(using = ByteSize.Deserializer.class) long captureBufferQuotaBytes,
        boolean generic,
        String notes) {

    /** Engines the agent knows; a typo in a profile is caught at load rather than on a device. */
    public static final Set<String> KNOWN_ENGINES = Set.of("onnxruntime", "onnxruntime-cuda", "pytorch");
    public static final Set<String> KNOWN_ARCHITECTURES = Set.of("x86_64", "aarch64", "riscv64", "armv7l");

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

    public DeviceProfile {
        require(id != null && ID.matcher(id).matches(), "id", "is missing or not lower-case [a-z0-9_.-]");
        require(name != null && !name.isBlank(), "name", "is missing");
        require(architecture != null && KNOWN_ARCHITECTURES.contains(architecture), "architecture",
                "must be one of " + KNOWN_ARCHITECTURES + ", got '" + architecture + "'");
        require(cores > 0, "cores", "is missing or not positive");
        require(maxClockMhz >= 0, "maxClockMhz", "is negative");
        memoryOptions = List.copyOf(memoryOptions == null ? List.of() : memoryOptions);
        require(!memoryOptions.isEmpty() && memoryOptions.stream().allMatch(m -> m > 0), "memoryOptions",
                "must list at least one positive RAM size");
        accelerators = List.copyOf(accelerators == null ? List.of() : accelerators);
        cpuFeatures = Collections.unmodifiableSet(new LinkedHashSet<>(cpuFeatures == null ? List.of() : cpuFeatures));
        cpuParts = List.copyOf(cpuParts == null ? List.of() : cpuParts);
        boardModels = List.copyOf(boardModels == null ? List.of() : boardModels);
        preferredEngines = List.copyOf(preferredEngines == null ? List.of() : preferredEngines);
        require(!preferredEngines.isEmpty(), "preferredEngines", "must name at least one engine");
        for (String engine : preferredEngines) {
            require(KNOWN_ENGINES.contains(engine), "preferredEngines",
                    "names unknown engine '" + engine + "' (known: " + KNOWN_ENGINES + ")");
        }
        require(preferredPrecision != null, "preferredPrecision", "is missing (int8, fp16 or fp32)");
        require(intraOpThreads > 0 && intraOpThreads <= cores, "intraOpThreads",
                "must be between 1 and cores (" + cores + "), got " + intraOpThreads);
        require(maxPackageSizeBytes > 0, "maxPackageSizeBytes", "is missing or not positive");
        require(captureBufferQuotaBytes > 0, "captureBufferQuotaBytes", "is missing or not positive");
        require(!generic || (cpuFeatures.isEmpty() && boardModels.isEmpty() && accelerators.isEmpty()), "generic",
                "a generic profile may not require features, boards or accelerators");
    }

    /** True when the class carries a CUDA accelerator (and so only matches hardware with an NVIDIA GPU). */
    public boolean requiresCuda() {
        return accelerators.stream().anyMatch(Accelerator::cudaCapable);
    }

    private static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new InvalidFieldException(field, problem);
        }
    }
}
