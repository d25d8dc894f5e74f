package io.edgeloop.agent.buffer;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Sampled inputs and outputs kept for retraining and drift analysis. Keys are one priority byte
 * then a big-endian sequence number, so iteration order is lowest priority first, oldest first:
 * exactly the eviction order when the size quota is exceeded. A retention sweep deletes records
 * older than the maximum age.
 */
public final class CaptureBuffer {
    private final AgentDb db;
    private final ColumnFamilyHandle cf;
    private final LongSupplier clock;
    private long nextSeq;
    private long bytes;
    private long count;

    public CaptureBuffer(AgentDb db, LongSupplier clockMillis) {
        this.db = db;
        this.cf = db.family(AgentDb.CAPTURE);
        this.clock = clockMillis;
        // One scan on open restores the sequence and the size: the buffer is bounded by its quota.
        try (RocksIterator it = db.db().newIterator(cf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                nextSeq = Math.max(nextSeq, Keys.getLong(key, 1) + 1);
                bytes += key.length + it.value().length;
                count++;
            }
        }
    }

    /** Whether this request should be captured, by the configured sampling rate. */
    public boolean sample() {
        double rate = db.options().captureSampleRate();
        return rate >= 1 || (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate);
    }

    /**
     * Stores one record (its seq and timestamp are assigned here); once this returns, the record
     * survives a crash of the process. Returns the stored record's sequence number.
     */
    public synchronized long append(int priority, String requestId, String model, String version, int predicted,
                                    float[] input, float[] output) throws EdgeLoopException {
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority must be 0-255, not " + priority);
        }
        long seq = nextSeq++;
        byte[] key = key(priority, seq);
        byte[] value = new CaptureRecord(seq, priority, clock.getAsLong(), requestId, model, version, predicted,
                input, output).encode();
        try {
            db.db().put(cf, db.writeOptions(), key, value);
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot write a capture record: " + e.getMessage(), e);
        }
        bytes += key.length + value.length;
        count++;
        if (bytes > db.options().captureQuotaBytes()) {
            evictTo(db.options().captureQuotaBytes());
        }
        return seq;
    }

    private static byte[] key(int priority, long seq) {
        byte[] key = new byte[9];
        key[0] = (byte) priority;
        Keys.putLong(key, 1, seq);
        return key;
    }

    /** Deletes lowest-priority, oldest records until the buffer holds at most {@code limit} bytes. */
    private void evictTo(long limit) throws EdgeLoopException {
        try (RocksIterator it = db.db().newIterator(cf)) {
            for (it.seekToFirst(); it.isValid() && bytes > limit; it.next()) {
                delete(it.key(), it.value().length);
            }
        }
    }

    /** Deletes records older than the maximum age; returns how many. */
    public synchronized int sweep() throws EdgeLoopException {
        long cutoff = clock.getAsLong() - db.options().captureMaxAge().toMillis();
        int deleted = 0;
        try (RocksIterator it = db.db().newIterator(cf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] value = it.value();
                if (CaptureRecord.timestampOf(value) < cutoff) {
                    delete(it.key(), value.length);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private void delete(byte[] key, int valueLength) throws EdgeLoopException {
        try {
            db.db().delete(cf, db.writeOptions(), key);
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot evict a capture record", e);
        }
        bytes -= key.length + valueLength;
        count--;
    }

    /** Every record, in eviction order (lowest priority, oldest first), at most {@code limit}. */
    public synchronized List<CaptureRecord> list(int limit) {
        List<CaptureRecord> out = new ArrayList<>();
        try (RocksIterator it = db.db().newIterator(cf)) {
            for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
                byte[] key = it.key();
                out.add(CaptureRecord.decode(Keys.getLong(key, 1), key[0] & 0xff, it.value()));
            }
        }
        return out;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long count() {
        return count;
    }
}
