package io.edgeloop.agent.serving;

import io.edgeloop.agent.batch.BatchOptions;
import io.edgeloop.agent.batch.DynamicBatcher;
import io.edgeloop.agent.drift.DriftMonitor;
import io.edgeloop.agent.drift.DriftOptions;
import io.edgeloop.agent.drift.DriftResult;
import io.edgeloop.agent.engine.EngineOptions;
import io.edgeloop.agent.engine.EngineRegistry;
import io.edgeloop.agent.engine.InferenceEngine;
import io.edgeloop.agent.engine.ModelSession;
import io.edgeloop.agent.engine.ModelSignature;
import io.edgeloop.agent.engine.SharedSessions;
import io.edgeloop.agent.store.ModelDescriptor;
import io.edgeloop.agent.store.ModelStore;
import io.edgeloop.protocol.EdgeLoopException;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Opens an installed version from the store with the engine its framework needs, handing the
 * engine the tensors the version's package declares (engines that cannot read them from the
 * model file, like TorchScript's, serve those). With a {@link SharedSessions} cache (agents of a
 * simulator), ONNX models come from the cache, one session per model content for all its agents.
 */
public final class ModelLoader {
    private final ModelStore store;
    private final EngineRegistry engines;
    private final EngineOptions engineOptions;
    private final BatchOptions batchOptions;
    private final DriftOptions driftOptions;
    private final Consumer<DriftResult> driftListener;
    private final SharedSessions sharedSessions;

    public ModelLoader(ModelStore store, EngineRegistry engines, EngineOptions engineOptions, BatchOptions batchOptions,
                       DriftOptions driftOptions, Consumer<DriftResult> driftListener) {
        this(store, engines, engineOptions, batchOptions, driftOptions, driftListener, null);
    }

    /** @param sharedSessions a cache shared with other agents of this JVM, or null for sessions of its own */
    public ModelLoader(ModelStore store, EngineRegistry engines, EngineOptions engineOptions, BatchOptions batchOptions,
                       DriftOptions driftOptions, Consumer<DriftResult> driftListener, SharedSessions sharedSessions) {
        this.sharedSessions = sharedSessions;
        this.store = store;
        this.engines = engines;
        this.engineOptions = engineOptions;
        this.batchOptions = batchOptions;
        this.driftOptions = driftOptions;
        this.driftListener = driftListener;
    }

    public ModelStore store() {
        return store;
    }

    public ServedModel load(String name, String version) throws EdgeLoopException {
        ModelDescriptor descriptor = store.descriptor(name, version);
        Path dir = store.versionDir(name, version);
        // ONNX files describe their own tensors; reading the manifest for them would only add a way to fail.
        ModelSignature declared = descriptor.framework().equals("onnx") ? ModelSignature.NONE : DeclaredTensors.read(dir);
        InferenceEngine engine = engines.forFramework(descriptor.framework());
        Path modelFile = dir.resolve(descriptor.modelFile());
        // ONNX Runtime sessions outlive the engine object that opened them; other engines' may not.
        ModelSession session = sharedSessions != null && descriptor.framework().equals("onnx")
                ? sharedSessions.open(engine, modelFile, engineOptions, declared)
                : engine.open(modelFile, engineOptions, declared);
        DynamicBatcher batcher = new DynamicBatcher(session, batchOptions, name + "-" + version);
        DriftMonitor drift = descriptor.baseline() == null ? null
                : new DriftMonitor(name, version, descriptor.baseline(), driftOptions, driftListener);
        return new ServedModel(descriptor, session, batcher, drift);
    }
}
