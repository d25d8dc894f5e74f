package io.edgeloop.agent.engine;

import java.util.Set;

/**
 * Which ONNX Runtime execution provider a session uses, and why. CUDA is used only when the
 * device profile prefers {@code onnxruntime-cuda} and the loaded ONNX Runtime build has the CUDA
 * provider (only the {@code onnxruntime_gpu} artifact does); otherwise the session runs on CPU and
 * the reason is kept so the agent can log and report it.
 *
 * @param provider "CUDA" or "CPU"
 * @param reason   why this provider was chosen, in one sentence
 */
public record ExecutionProviderChoice(String provider, String reason) {

    public static ExecutionProviderChoice choose(EngineOptions options, Set<String> availableProviders) {
        if (!options.prefersCuda()) {
            return new ExecutionProviderChoice("CPU", "the device profile does not prefer onnxruntime-cuda");
        }
        if (!availableProviders.contains("CUDA")) {
            return new ExecutionProviderChoice("CPU", "the device profile prefers onnxruntime-cuda but this ONNX Runtime"
                    + " build has no CUDA execution provider (available: " + availableProviders
                    + "; the CUDA provider ships only in the onnxruntime_gpu artifact)");
        }
        return new ExecutionProviderChoice("CUDA", "the device profile prefers onnxruntime-cuda and the CUDA provider is available");
    }

    public boolean cuda() {
        return provider.equals("CUDA");
    }
}
