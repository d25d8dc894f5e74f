package io.edgeloop.server.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What demo stages share: where to write, where to print, and the artifacts earlier stages
 * produced (the trained model, the package, the matched profile), by typed key.
 */
public final class DemoContext {
    private final Path workDir;
    private final PrintStream out;
    private final Map<Key<?>, Object> artifacts = new HashMap<>();

    /** A typed name for an artifact one stage hands to a later one. */
    public record Key<T>(String name, Class<T> type) {
    }

    public DemoContext(Path workDir, PrintStream out) {
        this.workDir = workDir;
        this.out = out;
    }

    public Path workDir() {
        return workDir;
    }

    public PrintStream out() {
        return out;
    }

    public <T> void put(Key<T> key, T value) {
        artifacts.put(key, value);
    }

    public <T> T get(Key<T> key) {
        Object value = artifacts.get(key);
        if (value == null) {
            throw new IllegalStateException("demo artifact '" + key.name() + "' was not produced by an earlier stage");
        }
        return key.type().cast(value);
    }
}
