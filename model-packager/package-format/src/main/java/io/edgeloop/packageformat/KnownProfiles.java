package io.edgeloop.packageformat;

import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.profiles.catalog.ProfileCatalog;
import io.edgeloop.protocol.EdgeLoopException;

import java.util.List;
import java.util.Optional;

/**
 * The device classes a package may target, as variant selection sees them: the built-in
 * device-profile catalog ({@code io.edgeloop.profiles}) reduced to id, architecture and CPU features.
 */
public final class KnownProfiles {
    /** Every profile of the built-in catalog. */
    public static final List<ProfileTraits> ALL = fromCatalog(loadDefaultCatalog());

    private KnownProfiles() {
    }

    public static List<ProfileTraits> fromCatalog(ProfileCatalog catalog) {
        return catalog.profiles().stream().map(KnownProfiles::traits).toList();
    }

    public static ProfileTraits traits(DeviceProfile profile) {
        return new ProfileTraits(profile.id(), profile.architecture(), profile.cpuFeatures());
    }

    public static Optional<ProfileTraits> byId(String id) {
        return ALL.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public static List<String> ids() {
        return ALL.stream().map(ProfileTraits::id).toList();
    }

    private static ProfileCatalog loadDefaultCatalog() {
        try {
            return ProfileCatalog.loadDefault();
        } catch (EdgeLoopException e) {
            // The catalog ships inside the device-profiles jar; failing to read it is a build defect.
            throw new IllegalStateException("the built-in device-profile catalog is broken: " + e.describe(), e);
        }
    }
}
