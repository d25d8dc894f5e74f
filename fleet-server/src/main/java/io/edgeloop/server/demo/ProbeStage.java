package io.edgeloop.server.demo;

import io.edgeloop.profiles.ProfileDetection;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.profiles.catalog.ProfileCatalog;
import io.edgeloop.profiles.match.ProfileMatcher;
import io.edgeloop.profiles.probe.HardwareInfo;
import io.edgeloop.profiles.probe.HardwareProbe;

import java.nio.file.Path;

/** Demo stage 1: probe this machine and match it to a device profile, as an agent does at start. */
public final class ProbeStage implements DemoStage {
    /** The matched profile; later stages choose package variants and threads from it. */
    public static final DemoContext.Key<DeviceProfile> PROFILE = new DemoContext.Key<>("profile", DeviceProfile.class);

    @Override
    public String title() {
        return "probe the hardware and match a device profile";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        ProfileDetection detection = ProfileDetection.detect(new HardwareProbe(Path.of("/")),
                new ProfileMatcher(ProfileCatalog.loadDefault()));
        HardwareInfo hw = detection.hardware();
        DeviceProfile profile = detection.profile();
        context.out().printf("      hardware: %s, %s, %d CPUs, %.1f GiB, %d GPU(s), int8 dot product: %s%n",
                hw.architecture(), hw.cpuModel(), hw.cores(), hw.memTotalBytes() / (double) (1L << 30),
                hw.gpus().size(), hw.features().hasInt8DotProduct() ? "yes" : "no");
        context.out().printf("      profile:  %s (%s): engines %s, precision %s, %d intra-op threads%n",
                profile.id(), profile.name(), profile.preferredEngines(), profile.preferredPrecision(),
                profile.intraOpThreads());
        context.out().printf("      reason:   %s%n", detection.reason());
        context.put(PROFILE, profile);
    }
}
