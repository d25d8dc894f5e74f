package io.edgeloop.packager.pkg;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The device classes a package may target, until the device-profile catalog
 * ({@code io.edgeloop.profiles}) is wired in: the same ids, with the architecture and the CPU
 * features variant constraints are written against.
 */
public final class KnownProfiles {
    public static final List<ProfileTraits> ALL = List.of(
            new ProfileTraits("rpi4", "aarch64", Set.of("neon", "asimd")),
            new ProfileTraits("rpi5", "aarch64", Set.of("neon", "asimd", "asimddp")),
            new ProfileTraits("jetson-orin-nano", "aarch64", Set.of("neon", "asimd", "asimddp", "cuda")),
            new ProfileTraits("x86-avx2-gateway", "x86_64", Set.of("sse4_2", "avx", "avx2", "fma")),
            new ProfileTraits("x86-avx512-vnni-server", "x86_64",
                    Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni")),
            new ProfileTraits("generic-x86_64", "x86_64", Set.of()),
            new ProfileTraits("generic-aarch64", "aarch64", Set.of()));

    private KnownProfiles() {
    }

    public static Optional<ProfileTraits> byId(String id) {
        return ALL.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public static List<String> ids() {
        return ALL.stream().map(ProfileTraits::id).toList();
    }
}
