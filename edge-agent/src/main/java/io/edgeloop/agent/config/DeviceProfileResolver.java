package io.edgeloop.agent.config;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.profiles.catalog.ProfileCatalog;
import io.edgeloop.profiles.match.ProfileMatch;
import io.edgeloop.profiles.match.ProfileMatcher;
import io.edgeloop.profiles.probe.HardwareProbe;
import io.edgeloop.profiles.probe.ProbeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device profile this agent runs as: the one named in the configuration, or the one the
 * hardware probe matches. It supplies the defaults of intra-op threads, preferred engines and the
 * capture quota, and picks package variants.
 */
public final class DeviceProfileResolver {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceProfileResolver.class);

    private DeviceProfileResolver() {
    }

    public static DeviceProfile resolve(String profileId) throws EdgeLoopException {
        ProfileCatalog catalog = ProfileCatalog.loadDefault();
        if (profileId != null && !profileId.isBlank()) {
            return catalog.find(profileId).orElseThrow(() -> new EdgeLoopException(ErrorCode.INVALID_ARGUMENT,
                    "unknown device profile '" + profileId + "'; known: " + catalog.ids()));
        }
        ProfileMatch match = new ProfileMatcher(catalog).match(new HardwareProbe(ProbeOptions.live()).probe());
        LOG.info("device profile {}: {}", match.profile().id(), match.reason());
        return match.profile();
    }
}
