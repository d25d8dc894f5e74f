package io.edgeloop.agent.engine;

import java.util.List;

/**
 * How an engine should open a model on this device, taken from the device profile.
 *
 * @param intraOpThreads     threads one inference may use (ONNX Runtime intra-op pool)
 * @param preferredEngines   engine names in preference order, e.g. {@code onnxruntime-cuda},
 *                           {@code onnxruntime}; a GPU engine is tried only when listed
 */
public record EngineOptions(int intraOpThreads, List<String> preferredEngines) {
    public static final int DEFAULT_INTRA_OP_THREADS = 1;
    public static final String CUDA = "onnxruntime-cuda";

    public static final EngineOptions DEFAULT = new EngineOptions(DEFAULT_INTRA_OP_THREADS, List.of("onnxruntime"));

    public EngineOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, not " + intraOpThreads);
        }
        preferredEngines = List.copyOf(preferredEngines);
    }

    public boolean prefersCuda() {
        return preferredEngines.contains(CUDA);
    }
}
