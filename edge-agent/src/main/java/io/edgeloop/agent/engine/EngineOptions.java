package io.edgeloop.agent.engine;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.List;

/**
 * How an engine should open a model on this device ({@code engine} in {@code agent.yaml}).
 *
 * @param intraOpThreads     threads one inference may use (ONNX Runtime intra-op pool);
 *                           {@link #FROM_PROFILE} (0) in the agent's settings means the device
 *                           profile's value
 * @param preferredEngines   engine names in preference order, e.g. {@code onnxruntime-cuda},
 *                           {@code onnxruntime}; a GPU engine is tried only when listed; empty in
 *                           the agent's settings means the device profile's list
 */
public record EngineOptions(int intraOpThreads, List<String> preferredEngines) {
    /** An agent setting of 0 threads or no engines takes the device profile's value. */
    public static final int FROM_PROFILE = 0;
    public static final int DEFAULT_INTRA_OP_THREADS = FROM_PROFILE;
    public static final List<String> DEFAULT_PREFERRED_ENGINES = List.of();
    public static final String CUDA = "onnxruntime-cuda";

    /** The agent's default: everything from the device profile. */
    public static final EngineOptions FROM_DEVICE_PROFILE = new EngineOptions(DEFAULT_INTRA_OP_THREADS,
            DEFAULT_PREFERRED_ENGINES);
    /** Concrete settings for opening a model directly: one thread, ONNX Runtime on CPU. */
    public static final EngineOptions DEFAULT = new EngineOptions(1, List.of("onnxruntime"));

    public EngineOptions {
        preferredEngines = preferredEngines == null ? List.of() : List.copyOf(preferredEngines);
    }

    public void validate(String section) throws EdgeLoopException {
        if (intraOpThreads < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".intraOpThreads must not be negative (0 = the"
                    + " device profile's), not " + intraOpThreads);
        }
    }

    /** These settings with the profile's values where they say {@link #FROM_PROFILE}. */
    public EngineOptions orProfile(int profileThreads, List<String> profileEngines) {
        int threads = intraOpThreads > 0 ? intraOpThreads
                : Math.max(1, Math.min(profileThreads, Runtime.getRuntime().availableProcessors()));
        return new EngineOptions(threads, preferredEngines.isEmpty() ? profileEngines : preferredEngines);
    }

    public EngineOptions withIntraOpThreads(int intraOpThreads) {
        return new EngineOptions(intraOpThreads, preferredEngines);
    }

    public EngineOptions withPreferredEngines(List<String> preferredEngines) {
        return new EngineOptions(intraOpThreads, preferredEngines);
    }

    public boolean prefersCuda() {
        return preferredEngines.contains(CUDA);
    }
}
