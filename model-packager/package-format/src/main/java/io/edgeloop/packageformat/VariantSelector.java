package io.edgeloop.packageformat;

import java.util.List;
import java.util.Optional;

/**
 * Decides which variants a device class can run, and which one it should run. A variant that
 * lists profile ids suits exactly those profiles; one that lists none suits every profile with
 * its architecture and CPU features.
 */
public final class VariantSelector {
    private final List<ProfileTraits> knownProfiles;

    public VariantSelector(List<ProfileTraits> knownProfiles) {
        this.knownProfiles = List.copyOf(knownProfiles);
    }

    public static boolean suits(Variant variant, ProfileTraits profile) {
        VariantConstraints c = variant.constraints();
        if (!c.profiles().isEmpty()) {
            return c.profiles().contains(profile.id());
        }
        return (c.arch() == null || c.arch().equals(profile.arch()))
                && profile.cpuFeatures().containsAll(c.cpuFeatures());
    }

    /** The known profiles that can run this variant; empty means no device could ever run it. */
    public List<ProfileTraits> profilesFor(Variant variant) {
        return knownProfiles.stream().filter(p -> suits(variant, p)).toList();
    }

    /**
     * The variant for a device: one that names the profile explicitly first (the packager chose
     * it for that class), else the recommended variant if it suits, else the first that suits.
     */
    public Optional<Variant> select(Manifest manifest, ProfileTraits profile) {
        Optional<Variant> named = manifest.variants().stream()
                .filter(v -> v.constraints().profiles().contains(profile.id())).findFirst();
        if (named.isPresent()) {
            return named;
        }
        if (manifest.metrics() != null && manifest.metrics().recommendedVariant() != null) {
            Optional<Variant> recommended = manifest.variant(manifest.metrics().recommendedVariant())
                    .filter(v -> suits(v, profile));
            if (recommended.isPresent()) {
                return recommended;
            }
        }
        return manifest.variants().stream().filter(v -> suits(v, profile)).findFirst();
    }

    /** The variant for a known profile id; empty when the id is unknown or nothing suits it. */
    public Optional<Variant> select(Manifest manifest, String profileId) {
        return knownProfiles.stream().filter(p -> p.id().equals(profileId)).findFirst()
                .flatMap(p -> select(manifest, p));
    }
}
