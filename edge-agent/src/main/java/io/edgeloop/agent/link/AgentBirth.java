package io.edgeloop.agent.link;

import io.edgeloop.agent.serving.ModelRegistry;
import io.edgeloop.agent.store.ModelStore;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.HardwareSummary;
import io.edgeloop.protocol.message.ModelRef;
import io.edgeloop.profiles.probe.HardwareInfo;
import io.edgeloop.profiles.probe.GpuInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The birth message of a running agent: its profile, probed hardware, version and active models. */
public final class AgentBirth implements FleetLink.BirthSource {
    /** This build's agent version. */
    public static final String AGENT_VERSION = version();

    private final String profileId;
    private final HardwareSummary hardware;
    private final ModelRegistry registry;
    private final ModelStore store;

    public AgentBirth(String profileId, HardwareSummary hardware, ModelRegistry registry, ModelStore store) {
        this.profileId = profileId;
        this.hardware = hardware;
        this.registry = registry;
        this.store = store;
    }

    /** The wire summary of what the hardware probe found. */
    public static HardwareSummary summary(HardwareInfo hw) {
        List<String> gpus = hw.gpus().stream().map(GpuInfo::name).filter(n -> n != null && !n.isBlank()).toList();
        return new HardwareSummary(System.getProperty("os.name", "Linux"), hw.architecture(),
                hw.cpuModel() == null || hw.cpuModel().isBlank() ? "unknown" : hw.cpuModel(), Math.max(1, hw.cores()),
                Math.max(0, hw.memTotalBytes()), new ArrayList<>(hw.cpuFeatures()), gpus);
    }

    /** A summary from the JVM alone, when probing is not wanted (simulated fleets) or fails. */
    public static HardwareSummary jvmSummary() {
        return new HardwareSummary(System.getProperty("os.name", "Linux"), System.getProperty("os.arch", "unknown"),
                "unknown", Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(), List.of(), List.of());
    }

    @Override
    public BirthMessage birth(String deviceId, long seq) {
        List<ModelRef> models = new ArrayList<>();
        for (Map.Entry<String, String> e : registry.activeVersions().entrySet()) {
            String variant;
            try {
                variant = store.descriptor(e.getKey(), e.getValue()).variant();
            } catch (EdgeLoopException ex) {
                variant = "unknown";
            }
            models.add(new ModelRef(e.getKey(), e.getValue(), variant == null || variant.isBlank() ? "unknown" : variant));
        }
        return new BirthMessage(deviceId, Instant.now(), seq, profileId, hardware, AGENT_VERSION, models);
    }

    private static String version() {
        String v = AgentBirth.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
