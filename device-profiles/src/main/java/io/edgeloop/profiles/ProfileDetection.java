package io.edgeloop.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.profiles.match.ProfileMatch;
import io.edgeloop.profiles.match.ProfileMatcher;
import io.edgeloop.profiles.probe.HardwareInfo;
import io.edgeloop.profiles.probe.HardwareProbe;
import io.edgeloop.protocol.EdgeLoopException;

/**
 * The probe and the profile it matched, in the JSON shape {@code edgeloop profile detect} prints
 * and an agent's birth message can embed:
 * {@code {"hardware": {...}, "profile": {...}, "reason": "...", "score": ...}}.
 */
public record ProfileDetection(HardwareInfo hardware, DeviceProfile profile, String reason, double score) {

    /** Probes the machine and matches it against the catalog. */
    public static ProfileDetection detect(HardwareProbe probe, ProfileMatcher matcher) throws EdgeLoopException {
        HardwareInfo hw = probe.probe();
        ProfileMatch match = matcher.match(hw);
        return new ProfileDetection(hw, match.profile(), match.reason(), match.score());
    }

    /** A Jackson mapper that writes these records as indented JSON. */
    public static ObjectMapper jsonMapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
