package io.edgeloop.agent.buffer;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.message.SampleLabel;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Labels from the feedback endpoint waiting to be sent to the fleet, durable in the agent's
 * state ({@code capture.label.{model}\0{requestId}}: the label and when it came). The uploader
 * takes them into the outbox and deletes them in the same atomic write, or lets one ride on its
 * capture when that capture is sent first. It collects only while an uploader runs (an agent
 * without a fleet link keeps nothing), and at most {@link #MAX_PENDING}: a link down for weeks
 * must not fill the disk.
 */
public final class PendingLabels {
    /** About 10 MB of state at most. */
    public static final int MAX_PENDING = 100_000;
    private static final String PREFIX = "capture.label.";

    private final AgentDb db;
    private final ColumnFamilyHandle cf;
    private volatile boolean collecting;
    private int count;

    public PendingLabels(AgentDb db) {
        this.db = db;
        this.cf = db.family(AgentDb.STATE);
        byte[] prefix = bytes(PREFIX);
        try (RocksIterator it = db.db().newIterator(cf)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                count++;
            }
        }
    }

    /** The agent-state key of one pending label (what the uploader deletes when it sends it). */
    public static String key(String model, String requestId) {
        return PREFIX + model + '\0' + requestId;
    }

    /** Starts or stops collecting (an uploader runs or not); what is pending stays either way. */
    public void collecting(boolean on) {
        collecting = on;
    }

    public boolean collecting() {
        return collecting;
    }

    /**
     * Keeps a label to send (a second one for the same request replaces the first); false when
     * nothing is collecting or {@link #MAX_PENDING} are waiting already.
     */
    public synchronized boolean offer(String model, String requestId, int label, long atMillis) throws EdgeLoopException {
        if (!collecting) {
            return false;
        }
        byte[] key = bytes(key(model, requestId));
        try {
            boolean known = db.db().get(cf, key) != null;
            if (!known && count >= MAX_PENDING) {
                return false;
            }
            db.db().put(cf, db.writeOptions(), key, bytes(label + "," + atMillis));
            if (!known) {
                count++;
            }
            return true;
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot keep a label: " + e.getMessage(), e);
        }
    }

    /** The pending label of one request, or null. */
    public synchronized SampleLabel get(String model, String requestId) throws EdgeLoopException {
        try {
            byte[] value = db.db().get(cf, bytes(key(model, requestId)));
            return value == null ? null : decode(model, requestId, value);
        } catch (RocksDBException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read a pending label", e);
        }
    }

    /** Up to {@code limit} pending labels, by model and request id. */
    public synchronized List<SampleLabel> list(int limit) {
        List<SampleLabel> out = new ArrayList<>();
        byte[] prefix = bytes(PREFIX);
        try (RocksIterator it = db.db().newIterator(cf)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix) && out.size() < limit; it.next()) {
                String rest = new String(it.key(), prefix.length, it.key().length - prefix.length, StandardCharsets.UTF_8);
                int nul = rest.indexOf('\0');
                if (nul > 0) {
                    out.add(decode(rest.substring(0, nul), rest.substring(nul + 1), it.value()));
                }
            }
        }
        return out;
    }

    /** The uploader deleted {@code n} pending labels (in its outbox write). */
    public synchronized void sent(int n) {
        count = Math.max(0, count - n);
    }

    public synchronized int count() {
        return count;
    }

    private static SampleLabel decode(String model, String requestId, byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        int comma = text.indexOf(',');
        return new SampleLabel(requestId, model, Integer.parseInt(text.substring(0, comma)),
                Long.parseLong(text.substring(comma + 1)), SampleLabel.FEEDBACK);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
