package io.edgeloop.server.captures;

import io.edgeloop.protocol.codec.Float32Le;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.SampleLabel;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's store of what the fleet captured (V5): samples keyed by (device, model, request
 * id), inputs as little-endian float32 bytes, and labels in their own table under the same key,
 * joined on read, so a label may come before or after its capture. Inserts are idempotent; a
 * newer label of a capture replaces an older one. {@link #sweep} applies the
 * {@link CaptureRetention}, audits what it deleted and counts it in {@link #metrics}; an insert
 * that takes a device or the total over its quota sweeps at once.
 */
public final class CaptureStore {
    /** Most captures one read returns. */
    public static final int MAX_LIMIT = 10_000;

    private final Database db;
    private final Clock clock;
    private final CaptureRetention retention;
    private final AuditLog audit;
    private final RetentionSweeper sweeper;
    private final CaptureMetrics metrics = new CaptureMetrics();
    private final Object sweeping = new Object();

    public CaptureStore(Database db, Clock clock, CaptureRetention retention) {
        this.db = db;
        this.clock = clock;
        this.retention = retention;
        this.audit = new AuditLog(db, clock);
        this.sweeper = new RetentionSweeper(retention);
    }

    /**
     * Stores the samples of {@code batch} not stored yet (by device, model and request id), and the
     * labels some carry; returns how many captures were new. Sweeps when that passes a quota.
     *
     * @throws EdgeLoopException INVALID_ARGUMENT when the batch is of another device or holds
     *     more than the store keeps; STORAGE_FAILED
     */
    public int insert(String deviceId, CaptureBatch batch) throws EdgeLoopException {
        checkDevice(deviceId, batch.deviceId());
        refuse(CaptureLimits.problem(batch));
        Written w = db.transaction(c -> write(c, List.of(batch), List.of(), false));
        committed(w);
        sweepIfOverQuota(w.devices());
        return w.captures();
    }

    /**
     * Stores the labels of {@code batch}, for captures stored or still to come; returns how many of
     * them match a stored capture (the others wait for theirs).
     */
    public int label(String deviceId, LabelBatch batch) throws EdgeLoopException {
        checkDevice(deviceId, batch.deviceId());
        refuse(CaptureLimits.problem(batch));
        Written w = db.transaction(c -> write(c, List.of(), List.of(batch), false));
        committed(w);
        return w.matched();
    }

    /** An annotator's labels: stored, audited per model; matched to stored captures, or pending. */
    public record LabelOutcome(int matched, int pending) {
    }

    public LabelOutcome annotate(Actor actor, List<AnnotatorLabel> labels) throws EdgeLoopException {
        long now = clock.millis();
        Map<String, List<NewLabel>> byModel = new TreeMap<>();
        for (AnnotatorLabel a : labels) {
            byModel.computeIfAbsent(a.model(), m -> new ArrayList<>()).add(new NewLabel(a.deviceId(), a.requestId(),
                    a.model(), a.label(), now, SampleLabel.ANNOTATOR));
        }
        LabelOutcome outcome = db.transaction(c -> {
            int matched = 0;
            for (Map.Entry<String, List<NewLabel>> e : byModel.entrySet()) {
                int m = CaptureWrites.upsertLabels(c, e.getValue(), now);
                matched += m;
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("labels", e.getValue().size());
                after.put("matched", m);
                after.put("pending", e.getValue().size() - m);
                after.put("devices", e.getValue().stream().map(NewLabel::deviceId).distinct().sorted().toList());
                audit.record(c, actor, "captures.label", "captures:" + e.getKey(), null, after);
            }
            return new LabelOutcome(matched, labels.size() - matched);
        });
        metrics.labelsStored.addAndGet(labels.size());
        metrics.labelsPending.addAndGet(outcome.pending());
        return outcome;
    }

    /**
     * What one {@link #write} stored: captures new, skipped as stored already, skipped as older than
     * the maximum age; labels and how many of them match a capture; messages skipped as replays; the
     * devices with new captures.
     */
    public record Written(int captures, int duplicates, int expired, int labels, int matched, int replays,
                          Set<String> devices) {
    }

    /**
     * Writes capture and label messages on {@code c}, in the caller's transaction (the ingest's):
     * with {@code dedupeSeq} a message whose (device, stream, seq) was seen before is skipped whole.
     * Call {@link #committed} once the transaction committed.
     */
    public Written write(Connection c, List<CaptureBatch> captures, List<LabelBatch> labels, boolean dedupeSeq)
            throws SQLException {
        long now = clock.millis();
        // What the retention would delete at once is not stored (a replay of a message whose seen
        // mark the retention dropped included).
        long oldest = now - retention.maxAge().toMillis();
        int replays = 0;
        int samples = 0;
        int expired = 0;
        Set<String> devices = new LinkedHashSet<>();
        List<NewCapture> newCaptures = new ArrayList<>();
        List<NewLabel> newLabels = new ArrayList<>();
        for (CaptureBatch b : captures) {
            if (dedupeSeq && !CaptureWrites.firstSight(c, b.deviceId(), "captures", b.seq(), now)) {
                replays++;
                continue;
            }
            devices.add(b.deviceId());
            for (CapturedSample s : b.samples()) {
                if (s.capturedAtMillis() < oldest) {
                    expired++;
                    continue;
                }
                samples++;
                newCaptures.add(new NewCapture(b.deviceId(), s.requestId(), s.model(), s.version(), s.capturedAtMillis(),
                        s.predicted(), s.confidence(), s.shape(), Float32Le.toBytes(s.input())));
                if (s.label() != null) {
                    // Feedback that came before the upload; the batch's time is the latest it can be from.
                    newLabels.add(new NewLabel(b.deviceId(), s.requestId(), s.model(), s.label(),
                            b.ts().toEpochMilli(), SampleLabel.FEEDBACK));
                }
            }
        }
        for (LabelBatch b : labels) {
            if (dedupeSeq && !CaptureWrites.firstSight(c, b.deviceId(), "labels", b.seq(), now)) {
                replays++;
                continue;
            }
            for (SampleLabel l : b.labels()) {
                newLabels.add(new NewLabel(b.deviceId(), l.requestId(), l.model(), l.label(), l.labelledAtMillis(),
                        l.source()));
            }
        }
        int stored = CaptureWrites.insertCaptures(c, newCaptures, now);
        int matched = CaptureWrites.upsertLabels(c, newLabels, now);
        return new Written(stored, samples - stored, expired, newLabels.size(), matched, replays, devices);
    }

    /** Counts what a committed {@link #write} stored. */
    public void committed(Written w) {
        metrics.capturesStored.addAndGet(w.captures());
        metrics.captureDuplicates.addAndGet(w.duplicates());
        metrics.labelsStored.addAndGet(w.labels());
        metrics.labelsPending.addAndGet(w.labels() - w.matched());
        metrics.messagesReplayed.addAndGet(w.replays());
    }

    /**
     * Captures and labelled captures per device of {@code model} captured at or after
     * {@code sinceMillis}, of {@code deviceIds} (null or empty: every device).
     */
    public CaptureCounts counts(String model, Collection<String> deviceIds, long sinceMillis) throws EdgeLoopException {
        CaptureReads.Where where = new CaptureReads.Where().eq("c.model_name", requireModel(model))
                .atLeast("c.captured_ms", sinceMillis).in("c.device_id", deviceIds);
        return db.transaction(c -> CaptureReads.counts(c, where));
    }

    /** Up to {@code limit} labelled captures of {@code model}, oldest first, with their inputs and labels. */
    public List<StoredCapture> labelled(String model, Collection<String> deviceIds, long sinceMillis, int limit)
            throws EdgeLoopException {
        CaptureReads.Where where = new CaptureReads.Where().eq("c.model_name", requireModel(model))
                .atLeast("c.captured_ms", sinceMillis).in("c.device_id", deviceIds).labelled();
        int n = checkLimit(limit);
        return db.transaction(c -> CaptureReads.captures(c, where, n));
    }

    /** Up to {@code limit} captures, oldest first, of one device and model (either null: all). */
    public List<StoredCapture> list(String deviceId, String model, long sinceMillis, int limit) throws EdgeLoopException {
        CaptureReads.Where where = new CaptureReads.Where().eq("c.device_id", deviceId).eq("c.model_name", model)
                .atLeast("c.captured_ms", sinceMillis);
        int n = checkLimit(limit);
        return db.transaction(c -> CaptureReads.captures(c, where, n));
    }

    /** Per device: captures, labelled, bytes, oldest and newest, of {@code model} (null: all); and pending labels. */
    public CaptureStats stats(String model) throws EdgeLoopException {
        return db.transaction(c -> CaptureReads.stats(c, model));
    }

    /**
     * Applies the retention now: by age, then per-device quota, then total quota; oldest first,
     * unlabelled before labelled. A sweep that deleted anything is in the audit log with its figures.
     */
    public RetentionSweep sweep() throws EdgeLoopException {
        synchronized (sweeping) {
            long now = clock.millis();
            RetentionSweep s = db.transaction(c -> {
                RetentionSweep result = sweeper.sweep(c, now);
                if (result.changed()) {
                    audit.record(c, Actor.SYSTEM, "captures.retention", "captures", null, figures(result));
                }
                return result;
            });
            metrics.swept(s);
            return s;
        }
    }

    /** Sweeps when one of {@code devices} or the total is over its quota; returns the sweep, or null. */
    public RetentionSweep sweepIfOverQuota(Collection<String> devices) throws EdgeLoopException {
        if (!retention.hasQuota()) {
            return null;
        }
        boolean over = db.transaction(c -> overQuota(c, devices));
        return over ? sweep() : null;
    }

    private boolean overQuota(Connection c, Collection<String> devices) throws SQLException {
        if (retention.totalQuotaBytes() > 0 && RetentionSweeper.totalBytes(c) > retention.totalQuotaBytes()) {
            return true;
        }
        if (retention.deviceQuotaBytes() <= 0 || devices.isEmpty()) {
            return false;
        }
        CaptureReads.Where where = new CaptureReads.Where().in("device_id", devices);
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM captures" + where.sql()
                + " GROUP BY device_id HAVING SUM(size_bytes) > " + retention.deviceQuotaBytes())) {
            where.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Map<String, Object> figures(RetentionSweep s) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("deletedByAge", s.byAge());
        f.put("deletedByDeviceQuota", s.byDeviceQuota());
        f.put("deletedByTotalQuota", s.byTotalQuota());
        f.put("bytesFreed", s.bytesFreed());
        f.put("pendingLabelsExpired", s.pendingLabelsExpired());
        f.put("maxAge", retention.maxAgeText());
        f.put("deviceQuotaBytes", retention.deviceQuotaBytes());
        f.put("totalQuotaBytes", retention.totalQuotaBytes());
        return f;
    }

    public CaptureRetention retention() {
        return retention;
    }

    public CaptureMetrics metrics() {
        return metrics;
    }

    private static void checkDevice(String deviceId, String batchDevice) throws EdgeLoopException {
        if (!batchDevice.equals(deviceId)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the batch is from device " + batchDevice
                    + ", not " + deviceId);
        }
    }

    private static void refuse(String problem) throws EdgeLoopException {
        if (problem != null) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, problem);
        }
    }

    private static String requireModel(String model) throws EdgeLoopException {
        if (model == null || model.isBlank()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "name the model whose captures to count or read");
        }
        return model;
    }

    private static int checkLimit(int limit) throws EdgeLoopException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }
}
