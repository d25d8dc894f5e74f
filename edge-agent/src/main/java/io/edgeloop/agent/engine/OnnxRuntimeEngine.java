package io.edgeloop.agent.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.edgeloop.packageformat.ort.ServingSessionOptions;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The default engine: ONNX Runtime, one {@link OrtSession} per model with the intra-op thread
 * count of the device profile, on CUDA when the profile asks for it and the build has it, else
 * on CPU with the reason logged.
 */
public final class OnnxRuntimeEngine implements InferenceEngine {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeEngine.class);

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    @Override
    public String name() {
        return "onnxruntime";
    }

    @Override
    public boolean supports(String framework) {
        return "onnx".equals(framework);
    }

    /** Execution providers compiled into the loaded ONNX Runtime, by ONNX Runtime's enum name. */
    public static Set<String> availableProviders() {
        return OrtEnvironment.getAvailableProviders().stream().map(OrtProvider::name).collect(Collectors.toSet());
    }

    @Override
    public ModelSession open(Path modelFile, EngineOptions options) throws EdgeLoopException {
        if (!Files.isRegularFile(modelFile)) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "model file " + modelFile + " does not exist");
        }
        ExecutionProviderChoice choice = ExecutionProviderChoice.choose(options, availableProviders());
        // The serving settings (no spinning, no arena, ...) are shared with the packager, which
        // measures variants with them; see ServingSessionOptions.
        try (OrtSession.SessionOptions so = ServingSessionOptions.create(options.intraOpThreads())) {
            if (choice.cuda()) {
                try {
                    so.addCUDA(0);
                } catch (OrtException e) {
                    choice = new ExecutionProviderChoice("CPU", "adding the CUDA execution provider failed: " + e.getMessage());
                }
            }
            LOG.info("opening {} on {} with {} intra-op thread(s): {}", modelFile.getFileName(), choice.provider(),
                    options.intraOpThreads(), choice.reason());
            OrtSession session = env.createSession(modelFile.toString(), so);
            return new OrtModelSession(env, session, choice);
        } catch (OrtException e) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "ONNX Runtime cannot load " + modelFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // The OrtEnvironment is process-wide and shared with other users; ONNX Runtime frees it at exit.
    }
}
