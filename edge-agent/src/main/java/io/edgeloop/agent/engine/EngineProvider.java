package io.edgeloop.agent.engine;

/**
 * The {@link java.util.ServiceLoader} entry point of an engine plug-in, listed in
 * {@code META-INF/services/io.edgeloop.agent.engine.EngineProvider}. Creating the engine is
 * deferred so that an engine whose native library is absent costs nothing until asked for.
 */
public interface EngineProvider {

    String engineName();

    /** The frameworks the engine runs; lets the registry choose without loading natives. */
    boolean supports(String framework);

    InferenceEngine create();
}
