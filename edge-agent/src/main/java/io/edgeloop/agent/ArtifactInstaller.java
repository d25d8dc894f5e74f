package io.edgeloop.agent;

import io.edgeloop.agent.store.ModelDescriptor;
import io.edgeloop.agent.store.ModelInstaller;
import io.edgeloop.agent.store.ModelStore;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Hands an artifact to the first installer that accepts it: the start-up package and HTTP uploads. */
final class ArtifactInstaller {
    private final Path incoming;
    private final List<ModelInstaller> installers;

    ArtifactInstaller(Path dataDir, List<ModelInstaller> installers) {
        this.incoming = dataDir.resolve("incoming");
        this.installers = List.copyOf(installers);
    }

    ModelDescriptor install(Path artifact) throws EdgeLoopException {
        for (ModelInstaller installer : installers) {
            if (installer.accepts(artifact)) {
                return installer.install(artifact);
            }
        }
        throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cannot install " + artifact
                + ": expected a signed .elpkg package or an .onnx model file");
    }

    /** Installs {@code artifact} and makes it the store's active version (loaded by the registry next). */
    void installAsActive(Path artifact, ModelStore store) throws EdgeLoopException {
        ModelDescriptor installed = install(artifact);
        if (!store.active(installed.name()).map(installed.version()::equals).orElse(false)) {
            store.activate(installed.name(), installed.version());
        }
    }

    /** Writes an uploaded package to {@code data-dir/incoming} and installs it (verification first). */
    ModelDescriptor installUpload(byte[] body) throws EdgeLoopException {
        Path file = incoming.resolve("upload-" + System.nanoTime() + ".elpkg");
        try {
            Files.createDirectories(incoming);
            Files.write(file, body);
            return install(file);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot store the uploaded package: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover upload is harmless; the next upload has another name
            }
        }
    }
}
