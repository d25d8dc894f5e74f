package io.edgeloop.packageformat;

import io.edgeloop.profiles.ProfileDetection;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.profiles.catalog.Precision;
import io.edgeloop.profiles.catalog.ProfileCatalog;
import io.edgeloop.profiles.match.ProfileMatcher;
import io.edgeloop.profiles.probe.HardwareProbe;
import io.edgeloop.protocol.EdgeLoopException;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

    /**
     * Where an int8 variant belongs: the device classes that prefer int8 (an int8 dot product in
     * hardware) and, when it was measured faster on this host, this host's class as well.
     */
    public static VariantConstraints int8(boolean measuredFasterHere) throws EdgeLoopException {
        ProfileCatalog catalog = ProfileCatalog.loadDefault();
        Set<String> ids = new LinkedHashSet<>();
        catalog.profiles().stream().filter(p -> p.preferredPrecision() == Precision.INT8).map(DeviceProfile::id)
                .forEach(ids::add);
        if (measuredFasterHere) {
            ids.add(ProfileDetection.detect(new HardwareProbe(Path.of("/")), new ProfileMatcher(catalog)).profile().id());
        }
        return new VariantConstraints(List.copyOf(ids), null, List.of());
    }

    public VariantConstraints {
        profiles = profiles == null ? List.of() : List.copyOf(profiles);
        cpuFeatures = cpuFeatures == null ? List.of() : List.copyOf(cpuFeatures);
    }
}
