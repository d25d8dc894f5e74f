package io.edgeloop.packager.pkg;

import java.util.List;

/**
 * Which devices a variant suits: a device profile qualifies when its id is listed, or when no
 * ids are listed and it has the architecture and every CPU feature named.
 *
 * @param profiles    device-profile ids (e.g. {@code rpi5}, {@code x86-avx512-vnni-server})
 * @param arch        required architecture ({@code x86_64}, {@code aarch64}), or null for any
 * @param cpuFeatures CPU features the variant needs (e.g. {@code avx512_vnni}); empty for none
 */
public record VariantConstraints(List<String> profiles, String arch, List<String> cpuFeatures) {

    /** Runs anywhere ONNX Runtime runs. */
    public static final VariantConstraints ANY = new VariantConstraints(List.of(), null, List.of());

    public VariantConstraints {
        profiles = profiles == null ? List.of() : List.copyOf(profiles);
        cpuFeatures = cpuFeatures == null ? List.of() : List.copyOf(cpuFeatures);
    }
}
