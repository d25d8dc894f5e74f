package io.edgeloop.agent.serving;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.ModelSignature;
import io.edgeloop.agent.engine.TensorSpec;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.ManifestJson;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors an installed version's package declares, read from the {@code manifest.json} the
 * installer kept beside the model file (it was verified when the package was installed). A
 * version installed from a bare model file has no manifest and declares nothing.
 */
final class DeclaredTensors {
    static final String MANIFEST = "manifest.json";

    private DeclaredTensors() {
    }

    static ModelSignature read(Path versionDir) throws EdgeLoopException {
        Path file = versionDir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return ModelSignature.NONE;
        }
        Manifest manifest;
        try {
            manifest = ManifestJson.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return new ModelSignature(specs(manifest.inputs()), specs(manifest.outputs()));
    }

    private static List<TensorSpec> specs(List<io.edgeloop.packageformat.TensorSpec> declared) throws EdgeLoopException {
        List<TensorSpec> specs = new ArrayList<>(declared.size());
        for (io.edgeloop.packageformat.TensorSpec d : declared) {
            DataType type = DataType.parse(d.datatype());
            if (type == null) {
                throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "the manifest declares tensor '" + d.name()
                        + "' as " + d.datatype() + ", which the agent does not serve");
            }
            specs.add(new TensorSpec(d.name(), type, d.shape().stream().mapToLong(Long::longValue).toArray()));
        }
        return specs;
    }
}
