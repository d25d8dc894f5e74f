package io.edgeloop.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.profiles.catalog.ProfileCatalog;
import io.edgeloop.profiles.match.ProfileMatcher;
import io.edgeloop.profiles.probe.HardwareProbe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The detection JSON is a wire shape (agent birth messages): it must read back into the same records. */
class ProfileDetectionTest {

    @ParameterizedTest
    @ValueSource(strings = {"jetson-orin-nano", "aws-g4dn-t4", "rpi4", "generic-riscv64"})
    void jsonRoundTripsToEqualRecords(String fixture) throws Exception {
        ProfileDetection detection = ProfileDetection.detect(new HardwareProbe(Fixtures.root(fixture)),
                new ProfileMatcher(ProfileCatalog.loadDefault()));
        ObjectMapper mapper = ProfileDetection.jsonMapper();
        ProfileDetection back = mapper.readValue(mapper.writeValueAsString(detection), ProfileDetection.class);
        assertEquals(detection, back);
    }
}
