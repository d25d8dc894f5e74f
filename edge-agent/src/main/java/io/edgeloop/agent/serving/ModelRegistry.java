package io.edgeloop.agent.serving;

import io.edgeloop.agent.store.ModelStore;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models being served: per name, the active version and optionally a shadow candidate that
 * sees the same requests without answering them. Activation loads the new version before it
 * switches, so requests never see a gap; the old version drains and closes after the switch.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private record Slot(ServedModel active, ServedModel shadow) {
    }

    private final ModelLoader loader;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    public ModelRegistry(ModelLoader loader) {
        this.loader = loader;
    }

    /** Loads the active version of every model in the store. */
    public void loadActive() throws EdgeLoopException {
        ModelStore store = loader.store();
        for (String name : store.models()) {
            Optional<String> version = store.active(name);
            if (version.isPresent()) {
                swap(name, loader.load(name, version.get()));
            }
        }
    }

    /** Activates an installed version: persist the pointer, then load and switch. */
    public synchronized void activate(String name, String version) throws EdgeLoopException {
        ServedModel next = loader.load(name, version);
        try {
            loader.store().activate(name, version);
        } catch (EdgeLoopException e) {
            next.close();
            throw e;
        }
        swap(name, next);
    }

    /** Rolls back to the previous version; returns the version now active. */
    public synchronized String rollback(String name) throws EdgeLoopException {
        String version = loader.store().rollback(name);
        swap(name, loader.load(name, version));
        return version;
    }

    /**
     * Rolls back to an installed {@code version} (older or not: the downgrade guard lets an
     * explicit rollback through); does nothing when it is already active.
     */
    public synchronized void rollbackTo(String name, String version) throws EdgeLoopException {
        Slot slot = slots.get(name);
        if (slot != null && slot.active.version().equals(version)) {
            loader.store().rollbackTo(name, version);
            return;
        }
        ServedModel next = loader.load(name, version);
        try {
            loader.store().rollbackTo(name, version);
        } catch (EdgeLoopException e) {
            next.close();
            throw e;
        }
        swap(name, next);
    }

    /**
     * Loads an installed version outside the served slots (a candidate checked on reference
     * inputs before it is activated); the caller closes it.
     */
    public ServedModel loadDetached(String name, String version) throws EdgeLoopException {
        return loader.load(name, version);
    }

    /** Loads {@code version} as the shadow of {@code name}'s active version (replacing any shadow). */
    public synchronized void shadow(String name, String version) throws EdgeLoopException {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new EdgeLoopException(ErrorCode.MODEL_NOT_FOUND, "no active version of '" + name + "' to shadow");
        }
        ServedModel candidate = loader.load(name, version);
        slots.put(name, new Slot(slot.active, candidate));
        closeQuietly(slot.shadow);
        LOG.info("{} {} shadows {}", name, version, slot.active.version());
    }

    public synchronized void stopShadow(String name) {
        Slot slot = slots.get(name);
        if (slot != null && slot.shadow != null) {
            slots.put(name, new Slot(slot.active, null));
            closeQuietly(slot.shadow);
        }
    }

    private void swap(String name, ServedModel next) {
        Slot old = slots.put(name, new Slot(next, null));
        LOG.info("{} {} is active", name, next.version());
        if (old != null) {
            closeQuietly(old.active);
            closeQuietly(old.shadow);
        }
    }

    private static void closeQuietly(ServedModel model) {
        if (model != null) {
            model.close();
        }
    }

    /** The active version of {@code name}; with a version, only when that version is active. */
    public ServedModel get(String name, String version) throws EdgeLoopException {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new EdgeLoopException(ErrorCode.MODEL_NOT_FOUND, "no model named '" + name + "' is loaded");
        }
        if (version != null && !version.equals(slot.active.version())) {
            throw new EdgeLoopException(ErrorCode.MODEL_NOT_FOUND, "model '" + name + "' has no version '" + version
                    + "' loaded; the active version is " + slot.active.version());
        }
        return slot.active;
    }

    /** The shadow candidate of {@code name}, or null. */
    public ServedModel shadowOf(String name) {
        Slot slot = slots.get(name);
        return slot == null ? null : slot.shadow;
    }

    public List<String> names() {
        return slots.keySet().stream().sorted().toList();
    }

    public Map<String, String> activeVersions() {
        Map<String, String> out = new TreeMap<>();
        slots.forEach((n, s) -> out.put(n, s.active.version()));
        return out;
    }

    public Map<String, String> shadowVersions() {
        Map<String, String> out = new TreeMap<>();
        slots.forEach((n, s) -> {
            if (s.shadow != null) {
                out.put(n, s.shadow.version());
            }
        });
        return out;
    }

    /** Engine calls of the active versions (counting restarts when a version is replaced). */
    public long engineCalls() {
        return slots.values().stream().mapToLong(s -> s.active.batcher().engineCalls()).sum();
    }

    /** Rows run by the active versions' engines; rows / calls is the mean dynamic batch size. */
    public long rowsRun() {
        return slots.values().stream().mapToLong(s -> s.active.batcher().rowsRun()).sum();
    }

    public int inFlight() {
        return slots.values().stream().mapToInt(s -> s.active.inFlight()).sum();
    }

    @Override
    public synchronized void close() {
        slots.values().forEach(s -> {
            closeQuietly(s.active);
            closeQuietly(s.shadow);
        });
        slots.clear();
    }
}
