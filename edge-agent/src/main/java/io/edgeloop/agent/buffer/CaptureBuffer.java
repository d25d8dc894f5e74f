package io.edgeloop.agent.buffer;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Sampled inputs and outputs kept for retraining and drift analysis. Keys are one priority byte
 * then a big-endian sequence number, so iteration order is lowest priority first, oldest first:
 * exactly the eviction order when the size quota is exceeded. A retention sweep deletes records
 * older than the maximum age, uploaded or not.
 *
 * <p>Sequence numbers only grow, also across restarts: the fleet uploader's cursor
 * ({@link #UPLOAD_CURSOR_KEY}, the next seq it has not sent, kept in the agent's state) is a floor
 * for the next seq, so records deleted from the end cannot make a new capture reuse a sent seq.
 */
public final class CaptureBuffer {
    /** Agent-state key of the upload cursor: every capture with a smaller seq was sent or skipped. */
    public static final String UPLOAD_CURSOR_KEY = "capture.upload.next-seq";
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
        try {
            byte[] cursor = db.db().get(db.family(AgentDb.STATE), UPLOAD_CURSOR_KEY.getBytes(StandardCharsets.UTF_8));
            if (cursor != null) {
                nextSeq = Math.max(nextSeq, Long.parseLong(new String(cursor, StandardCharsets.UTF_8)));
            }
        } catch (RocksDBException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the capture upload cursor: " + e.getMessage(), e);
        }
    }

    /**
     * Stores one record (its seq and timestamp are assigned here); once this returns, the record
     * survives a crash of the process. Returns the stored record's sequence number.
     */
    public long append(int priority, String requestId, String model, String version, int predicted,
                       float[] input, float[] output) throws EdgeLoopException {
        return append(priority, requestId, model, version, predicted, null, input, output);
    }

    /**
     * Stores one record with the input row's {@code shape} (null: {@code [1, input.length]} when
     * it is read); durable once this returns. Returns its sequence number.
     */
    public synchronized long append(int priority, String requestId, String model, String version, int predicted,
                                    long[] shape, float[] input, float[] output) throws EdgeLoopException {
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority must be 0-255, not " + priority);
        }
        long seq = nextSeq++;
        byte[] key = key(priority, seq);
        byte[] value = new CaptureRecord(seq, priority, clock.getAsLong(), requestId, model, version, predicted,
                input, output, shape).encode();
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

    /**
     * The first records with a seq of at least {@code fromSeq}, in seq order (the order they were
     * captured): at most {@code limit} of them, and about {@code maxBytes} read per priority present
     * (at least one record each; the agent uses three), so a reader's memory is bounded whatever
     * the inputs' size. What an uploader with that cursor
     * sends next; an empty list means there is nothing at or after {@code fromSeq}. One seek per
     * priority present, so it costs the records read, not the buffer's size.
     */
    public synchronized List<CaptureRecord> from(long fromSeq, int limit, long maxBytes) {
        List<CaptureRecord> found = new ArrayList<>();
        // Where a priority was cut short, seqs above its last one read may be missing from the
        // result, so only records up to the lowest such seq are certain to be the first ones.
        long horizon = Long.MAX_VALUE;
        try (RocksIterator it = db.db().newIterator(cf)) {
            int priority = 0;
            while (priority <= 255) {
                it.seek(key(priority, fromSeq));
                if (!it.isValid()) {
                    break;
                }
                int present = it.key()[0] & 0xff;
                if (present != priority) {
                    // Nothing at or after fromSeq in this priority: go to the next one present.
                    priority = present;
                    continue;
                }
                int taken = 0;
                long bytesRead = 0;
                long last = -1;
                for (; it.isValid() && (it.key()[0] & 0xff) == priority; it.next()) {
                    if (taken >= limit || (taken > 0 && bytesRead >= maxBytes)) {
                        horizon = Math.min(horizon, last);
                        break;
                    }
                    byte[] value = it.value();
                    last = Keys.getLong(it.key(), 1);
                    found.add(CaptureRecord.decode(last, priority, value));
                    bytesRead += value.length;
                    taken++;
                }
                priority++;
            }
        }
        long certain = horizon;
        found.removeIf(r -> r.seq() > certain);
        found.sort(Comparator.comparingLong(CaptureRecord::seq));
        return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
    }

    /** The seq the next record gets. */
    public synchronized long nextSeq() {
        return nextSeq;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long count() {
        return count;
    }
}
