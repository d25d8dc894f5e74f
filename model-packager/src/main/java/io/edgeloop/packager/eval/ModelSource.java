package io.edgeloop.packager.eval;

import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.protocol.EdgeLoopException;

import java.nio.file.Path;

/**
 * Resolves a file named on the command line to the ONNX model to evaluate: an {@code .onnx} file
 * as is, or the variant of an {@code .elpkg} package that suits this machine.
 */
@FunctionalInterface
public interface ModelSource {

    Resolved resolve(Path file) throws EdgeLoopException;

    /**
     * @param label   what the report calls the model
     * @param variant the package variant chosen, or {@code null} for a plain model file
     */
    record Resolved(OnnxModel model, String label, String variant) {
    }

    /** Plain {@code .onnx} files only. */
    static ModelSource onnxFiles() {
        return file -> new Resolved(OnnxModel.load(file), file.getFileName().toString(), null);
    }
}
