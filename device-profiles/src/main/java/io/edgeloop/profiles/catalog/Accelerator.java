package io.edgeloop.profiles.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.edgeloop.protocol.InvalidFieldException;

/**
 * An accelerator a device class carries, as its vendor documents it.
 *
 * @param type              {@code cuda} for NVIDIA GPUs (the only type engines use today)
 * @param name              vendor name, e.g. "Ampere 1024-core"
 * @param computeCapability CUDA compute capability, e.g. "8.7"; null when not CUDA
 * @param memoryShared      true when the accelerator shares system RAM (Jetson)
 * @param memoryBytes       dedicated memory; null when shared or unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Accelerator(
        String type,
        String name,
        String computeCapability,
        boolean memoryShared,
        @JsonDeserialize(using = ByteSize.Deserializer.class) Long memoryBytes) {

    public static final String TYPE_CUDA = "cuda";

    public Accelerator {
        if (type == null || type.isBlank()) {
            throw new InvalidFieldException("accelerators.type", "is missing");
        }
        if (name == null || name.isBlank()) {
            throw new InvalidFieldException("accelerators.name", "is missing");
        }
    }

    /** True for an NVIDIA CUDA device. */
    public boolean cudaCapable() {
        return TYPE_CUDA.equals(type);
    }
}
