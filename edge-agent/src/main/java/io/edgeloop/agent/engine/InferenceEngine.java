package io.edgeloop.agent.engine;

import io.edgeloop.protocol.EdgeLoopException;

import java.nio.file.Path;

/**
 * An inference runtime that can open model files of some framework into {@link ModelSession}s.
 * Engines are plug-ins found through {@link EngineProvider}; closing an engine releases whatever
 * process-wide state it holds (sessions must be closed first).
 */
public interface InferenceEngine extends AutoCloseable {

    /** Short name, e.g. {@code onnxruntime} or {@code pytorch}. */
    String name();

    /** Whether this engine runs models of the package framework {@code framework} ({@code onnx}, {@code torchscript}). */
    boolean supports(String framework);

    /** Opens {@code modelFile}; the session is the caller's to close. */
    ModelSession open(Path modelFile, EngineOptions options) throws EdgeLoopException;

    /**
     * Opens {@code modelFile} whose package declares the tensors in {@code declared}. Engines that
     * read the tensors from the model file itself keep this default and ignore the declaration.
     */
    default ModelSession open(Path modelFile, EngineOptions options, ModelSignature declared) throws EdgeLoopException {
        return open(modelFile, options);
    }

    @Override
    void close();
}
