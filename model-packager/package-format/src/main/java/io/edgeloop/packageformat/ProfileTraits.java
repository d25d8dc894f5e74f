package io.edgeloop.packageformat;

import java.util.Objects;
import java.util.Set;

/**
 * What variant selection needs to know about a device class: its id, CPU architecture and CPU
 * features (named as in {@code /proc/cpuinfo}, e.g. {@code avx2}, {@code avx512_vnni}, {@code asimddp}).
 */
public record ProfileTraits(String id, String arch, Set<String> cpuFeatures) {

    public ProfileTraits {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arch, "arch");
        cpuFeatures = Set.copyOf(cpuFeatures);
    }
}
