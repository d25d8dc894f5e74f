package io.edgeloop.agent.store;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Installs a bare {@code .onnx} file as a model version, for development and benchmarks: no
 * signature, no baseline, no classes. The name defaults to the file's stem; the version to "1".
 * Production devices install signed {@code .elpkg} packages instead.
 */
public final class OnnxFileInstaller implements ModelInstaller {
    private final ModelStore store;
    private final String name;
    private final String version;

    public OnnxFileInstaller(ModelStore store, String name, String version) {
        this.store = store;
        this.name = name;
        this.version = version;
    }

    @Override
    public boolean accepts(Path file) {
        return file.getFileName().toString().endsWith(".onnx");
    }

    @Override
    public ModelDescriptor install(Path file) throws EdgeLoopException {
        if (!Files.isRegularFile(file)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "model file " + file + " does not exist");
        }
        String stem = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        String modelName = ModelStore.checkName("model name", name != null ? name : stem);
        String modelVersion = ModelStore.checkName("version", version != null ? version : "1");
        ModelDescriptor descriptor = new ModelDescriptor(modelName, modelVersion, "onnx", "model.onnx", "default",
                List.of(), null);
        if (store.versions(modelName).contains(modelVersion)) {
            return store.descriptor(modelName, modelVersion);
        }
        store.install(descriptor, Map.of("model.onnx", () -> Files.newInputStream(file)));
        return descriptor;
    }
}
