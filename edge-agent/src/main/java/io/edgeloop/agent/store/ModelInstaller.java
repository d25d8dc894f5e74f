package io.edgeloop.agent.store;

import io.edgeloop.protocol.EdgeLoopException;

import java.nio.file.Path;

/** Installs a model artifact (a package, or a bare model file) into the store; returns name and version. */
public interface ModelInstaller {

    /** Whether this installer handles {@code file}. */
    boolean accepts(Path file);

    /**
     * Installs {@code file} unless the same version is already installed; returns what is now
     * installed (not yet active).
     */
    ModelDescriptor install(Path file) throws EdgeLoopException;
}
