package io.edgeloop.agent.buffer;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Store-and-forward of telemetry: each message gets the next sequence number of its stream
 * (e.g. {@code health}, {@code drift}) and stays until the broker acknowledged it, so a device
 * offline for hours sends everything when it reconnects and the server de-duplicates by seq.
 * Keys are the stream name, a zero byte, and the big-endian seq; the next seq of each stream is
 * kept in the {@code state} family, written in the same batch, so it never goes backwards.
 */
public final class TelemetryOutbox {
    private static final String SEQ_PREFIX = "outbox.next-seq.";
    /** The stream of job execution updates (the fleet link sends each to its job's topic). */
    public static final String JOB_UPDATES = "jobs";

    private final AgentDb db;
    private final ColumnFamilyHandle cf;
    private final ColumnFamilyHandle state;
    private final Map<String, Long> nextSeq = new HashMap<>();

    public TelemetryOutbox(AgentDb db) {
        this.db = db;
        this.cf = db.family(AgentDb.OUTBOX);
        this.state = db.family(AgentDb.STATE);
    }

    /** Appends a message; returns its sequence number in {@code stream}. Durable once this returns. */
    public long append(String stream, byte[] payload) throws EdgeLoopException {
        return append(stream, seq -> payload);
    }

    /**
     * Appends the message {@code encoder} builds for the sequence number it is given, so the
     * message can carry its own seq; returns that seq.
     */
    public synchronized long append(String stream, java.util.function.LongFunction<byte[]> encoder) throws EdgeLoopException {
        return append(stream, encoder, Map.of());
    }

    /**
     * Appends a message and, in the same atomic write, sets these agent-state keys (a null value
     * deletes its key): a job's persisted state and the update that reports it survive a crash
     * together or not at all.
     */
    public synchronized long append(String stream, java.util.function.LongFunction<byte[]> encoder,
                                    Map<String, String> stateChanges) throws EdgeLoopException {
        long seq = next(stream);
        byte[] payload = encoder.apply(seq);
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(cf, key(stream, seq), payload);
            for (Map.Entry<String, String> change : stateChanges.entrySet()) {
                byte[] k = change.getKey().getBytes(StandardCharsets.UTF_8);
                if (change.getValue() == null) {
                    batch.delete(state, k);
                } else {
                    batch.put(state, k, change.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
            batch.put(state, seqKey(stream), Long.toString(seq + 1).getBytes(StandardCharsets.UTF_8));
            db.db().write(db.writeOptions(), batch);
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot append to the outbox: " + e.getMessage(), e);
        }
        nextSeq.put(stream, seq + 1);
        return seq;
    }

    private long next(String stream) throws EdgeLoopException {
        Long cached = nextSeq.get(stream);
        if (cached != null) {
            return cached;
        }
        try {
            byte[] v = db.db().get(state, seqKey(stream));
            long seq = v == null ? 1 : Long.parseLong(new String(v, StandardCharsets.UTF_8));
            nextSeq.put(stream, seq);
            return seq;
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read the outbox sequence", e);
        }
    }

    /** The oldest unacknowledged messages of {@code stream}, at most {@code limit}. */
    public List<OutboxEntry> pending(String stream, int limit) {
        return pendingAfter(stream, 0, limit);
    }

    /**
     * The oldest unacknowledged messages of {@code stream} with a seq above {@code afterSeq}, at
     * most {@code limit}: what a sender with {@code afterSeq} already in flight sends next.
     */
    public synchronized List<OutboxEntry> pendingAfter(String stream, long afterSeq, int limit) {
        List<OutboxEntry> out = new ArrayList<>();
        byte[] prefix = prefix(stream);
        try (RocksIterator it = db.db().newIterator(cf)) {
            for (it.seek(key(stream, afterSeq + 1)); it.isValid() && out.size() < limit; it.next()) {
                byte[] key = it.key();
                if (key.length != prefix.length + 8 || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                out.add(new OutboxEntry(stream, Keys.getLong(key, prefix.length), it.value()));
            }
        }
        return out;
    }

    /** How many messages of {@code stream} wait for their acknowledgement, counting up to {@code max}. */
    public synchronized int pendingCount(String stream, int max) {
        byte[] prefix = prefix(stream);
        int count = 0;
        try (RocksIterator it = db.db().newIterator(cf)) {
            // Keys only: a capture batch's payload is up to 256 KiB.
            for (it.seek(prefix); it.isValid() && count < max; it.next()) {
                byte[] key = it.key();
                if (key.length != prefix.length + 8 || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                count++;
            }
        }
        return count;
    }

    /** Deletes one message the broker acknowledged. */
    public synchronized void acknowledge(String stream, long seq) throws EdgeLoopException {
        try {
            db.db().delete(cf, db.writeOptions(), key(stream, seq));
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot delete an acknowledged message", e);
        }
    }

    private static byte[] prefix(String stream) {
        byte[] name = stream.getBytes(StandardCharsets.UTF_8);
        for (byte b : name) {
            if (b == 0) {
                throw new IllegalArgumentException("stream name must not contain NUL: '" + stream + "'");
            }
        }
        if (name.length == 0) {
            throw new IllegalArgumentException("stream name must not be empty");
        }
        return Arrays.copyOf(name, name.length + 1);
    }

    private static byte[] key(String stream, long seq) {
        byte[] prefix = prefix(stream);
        byte[] key = Arrays.copyOf(prefix, prefix.length + 8);
        Keys.putLong(key, prefix.length, seq);
        return key;
    }

    private static byte[] seqKey(String stream) {
        return (SEQ_PREFIX + stream).getBytes(StandardCharsets.UTF_8);
    }
}
