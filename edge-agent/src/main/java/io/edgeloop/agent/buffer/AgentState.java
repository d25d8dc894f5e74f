package io.edgeloop.agent.buffer;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Small durable key-value state of the agent: job progress, download offsets. */
public final class AgentState {
    private final AgentDb db;
    private final ColumnFamilyHandle cf;

    public AgentState(AgentDb db) {
        this.db = db;
        this.cf = db.family(AgentDb.STATE);
    }

    public void put(String key, String value) throws EdgeLoopException {
        try {
            db.db().put(cf, db.writeOptions(), bytes(key), bytes(value));
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot write state '" + key + "'", e);
        }
    }

    public Optional<String> get(String key) throws EdgeLoopException {
        try {
            byte[] v = db.db().get(cf, bytes(key));
            return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read state '" + key + "'", e);
        }
    }

    /** Sets several keys in one atomic write; a null value deletes its key. */
    public void putAll(java.util.Map<String, String> changes) throws EdgeLoopException {
        try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
            for (java.util.Map.Entry<String, String> change : changes.entrySet()) {
                if (change.getValue() == null) {
                    batch.delete(cf, bytes(change.getKey()));
                } else {
                    batch.put(cf, bytes(change.getKey()), bytes(change.getValue()));
                }
            }
            db.db().write(db.writeOptions(), batch);
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot write state " + changes.keySet(), e);
        }
    }

    public void putLong(String key, long value) throws EdgeLoopException {
        put(key, Long.toString(value));
    }

    public long getLong(String key, long absent) throws EdgeLoopException {
        return get(key).map(Long::parseLong).orElse(absent);
    }

    public void delete(String key) throws EdgeLoopException {
        try {
            db.db().delete(cf, db.writeOptions(), bytes(key));
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot delete state '" + key + "'", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
