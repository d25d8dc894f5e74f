package io.edgeloop.agent.engine;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Engine sessions shared by the agents of one JVM (a fleet simulator): agents that open the same
 * model file content (same sha256) with the same engine and settings get one session between
 * them, counted by its users and closed when the last one closes its handle. An agent built
 * without a cache opens sessions of its own, as a device does.
 *
 * <p>Only for engines whose sessions do not depend on the engine instance that opened them
 * staying open (ONNX Runtime's sessions live on the process-wide environment): the agent that
 * opened a shared session may close before the others.
 */
public final class SharedSessions {
    private record Key(String engine, String sha256, EngineOptions options) {
    }

    private final class Entry {
        final Key key;
        final ModelSession session;
        int users;

        Entry(Key key, ModelSession session) {
            this.key = key;
            this.session = session;
        }
    }

    private final Map<Key, Entry> entries = new HashMap<>();
    private long opened;

    /**
     * A handle on the session of {@code modelFile}'s content, opened by {@code engine} when no agent
     * holds one yet. Closing the handle releases it; the session closes with the last handle.
     */
    public ModelSession open(InferenceEngine engine, Path modelFile, EngineOptions options, ModelSignature declared)
            throws EdgeLoopException {
        Key key = new Key(engine.name(), sha256(modelFile), options);
        // Opened under the lock: two agents asking at once for a new model open it once.
        synchronized (this) {
            Entry entry = entries.get(key);
            if (entry == null) {
                entry = new Entry(key, engine.open(modelFile, options, declared));
                entries.put(key, entry);
                opened++;
            }
            entry.users++;
            return new Handle(entry);
        }
    }

    /** Sessions open now (one per distinct model content, engine and settings). */
    public synchronized int sessions() {
        return entries.size();
    }

    /** Handles open now, over all sessions. */
    public synchronized int users() {
        return entries.values().stream().mapToInt(e -> e.users).sum();
    }

    /** Sessions opened since this cache was created (a reused one counts once). */
    public synchronized long sessionsOpened() {
        return opened;
    }

    private synchronized void release(Entry entry) {
        entry.users--;
        if (entry.users == 0) {
            entries.remove(entry.key);
            entry.session.close();
        }
    }

    static String sha256(Path file) throws EdgeLoopException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "cannot read model file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One agent's use of a shared session; closing it twice releases it once. */
    private final class Handle implements ModelSession {
        private final Entry entry;
        private final AtomicBoolean closed = new AtomicBoolean();

        Handle(Entry entry) {
            this.entry = entry;
        }

        @Override
        public List<TensorSpec> inputs() {
            return entry.session.inputs();
        }

        @Override
        public List<TensorSpec> outputs() {
            return entry.session.outputs();
        }

        @Override
        public String executionProvider() {
            return entry.session.executionProvider();
        }

        @Override
        public List<Tensor> run(List<Tensor> inputs) throws EdgeLoopException {
            if (closed.get()) {
                throw new IllegalStateException("session is closed");
            }
            return entry.session.run(inputs);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(entry);
            }
        }
    }
}
