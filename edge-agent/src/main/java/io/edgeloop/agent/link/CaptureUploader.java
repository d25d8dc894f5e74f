package io.edgeloop.agent.link;

import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.agent.buffer.CaptureBuffer;
import io.edgeloop.agent.buffer.CaptureCounters;
import io.edgeloop.agent.buffer.CaptureOptions;
import io.edgeloop.agent.buffer.CaptureRecord;
import io.edgeloop.agent.buffer.PendingLabels;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.codec.Float32Le;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.message.SampleLabel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves captures not yet uploaded from the {@link CaptureBuffer} into the telemetry outbox as
 * {@link CaptureBatch}es (each encoded under {@link CaptureOptions#uploadBatchBytes()}), and
 * feedback labels from {@link PendingLabels} as {@link LabelBatch}es, every
 * {@link CaptureOptions#uploadInterval()}. The outbox then sends them like all telemetry:
 * durable, replayed after an outage or restart, de-duplicated at the server by seq.
 *
 * <p>The upload cursor ({@link CaptureBuffer#UPLOAD_CURSOR_KEY}, the next capture seq not sent)
 * is written in the same atomic write as the batch that moves it, so a crash cannot send a capture
 * twice by cursor nor lose one. A capture evicted (quota) or expired (age) before its turn is
 * skipped and counted; one that was uploaded stays in the buffer, under the same retention. A
 * label that came before its capture was sent rides on the capture instead of in a label batch.
 * At most {@link #MAX_QUEUED_BATCHES} batches of each stream wait in the outbox; the rest wait
 * where they are until the link has sent those.
 */
public final class CaptureUploader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureUploader.class);
    /** The outbox stream of capture batches. */
    public static final String CAPTURES = "captures";
    /** The outbox stream of label batches. */
    public static final String LABELS = "labels";
    /** Captures read per look into the buffer. */
    static final int READ_AHEAD = 256;
    /** Labels read per label batch (their size decides the batch too). */
    static final int LABELS_PER_READ = 2_000;
    /**
     * Batches of one stream waiting in the outbox at most (about 2 MB of captures): while the link
     * is down, captures wait in the buffer, under its quota and age, instead of piling up in the
     * outbox, which has neither.
     */
    static final int MAX_QUEUED_BATCHES = 8;

    private final String deviceId;
    private final CaptureBuffer captures;
    private final PendingLabels labels;
    private final TelemetryOutbox outbox;
    private final AgentState state;
    private final CaptureOptions options;
    private final CaptureCounters counters;
    private final LongSupplier clock;
    private final MessageCodec codec;
    private ScheduledFuture<?> task;
    private boolean closed;

    public CaptureUploader(String deviceId, CaptureBuffer captures, PendingLabels labels, TelemetryOutbox outbox,
                           AgentState state, CaptureOptions options, CaptureCounters counters, LongSupplier clockMillis,
                           MessageCodec codec) {
        this.deviceId = deviceId;
        this.captures = captures;
        this.labels = labels;
        this.outbox = outbox;
        this.state = state;
        this.options = options;
        this.counters = counters;
        this.clock = clockMillis;
        this.codec = codec;
    }

    /** Collects feedback labels from now on and uploads every interval on {@code scheduler}. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (closed || task != null) {
            return;
        }
        labels.collecting(true);
        long ms = options.uploadInterval().toMillis();
        task = scheduler.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            uploadNow();
        } catch (EdgeLoopException e) {
            LOG.warn("capture upload stopped until the next interval: {}", e.describe());
        } catch (RuntimeException e) {
            LOG.warn("capture upload stopped until the next interval: {}", e.toString());
        }
    }

    /** One pass: every capture not yet uploaded, then every pending label, into the outbox. */
    public synchronized void uploadNow() throws EdgeLoopException {
        if (closed) {
            return;
        }
        uploadCaptures();
        uploadLabels();
    }

    /** The next capture seq not yet uploaded (or skipped). */
    public long cursor() throws EdgeLoopException {
        return state.getLong(CaptureBuffer.UPLOAD_CURSOR_KEY, 0);
    }

    private void uploadCaptures() throws EdgeLoopException {
        long cursor = cursor();
        int limit = options.uploadBatchBytes();
        while (true) {
            int room = MAX_QUEUED_BATCHES - outbox.pendingCount(CAPTURES, MAX_QUEUED_BATCHES);
            if (room <= 0) {
                return;
            }
            List<CaptureRecord> next = captures.from(cursor, READ_AHEAD, 2L * limit);
            if (next.isEmpty()) {
                return;
            }
            Pending batch = new Pending(headerBytes());
            long expected = cursor;
            for (CaptureRecord record : next) {
                SampleLabel early = labels.get(record.model(), record.requestId());
                CapturedSample sample = sample(record, early);
                long size = sample == null ? 0 : sampleBytes(sample);
                if (sample != null && headerBytes() + size > limit) {
                    LOG.warn("capture {} of {} is {} bytes encoded, over capture.uploadBatchBytes {}; skipped",
                            record.requestId(), record.model(), size, limit);
                    sample = null;
                } else if (sample != null && batch.bytes + size > limit) {
                    flush(batch, expected);
                    batch = new Pending(headerBytes());
                    if (--room <= 0) {
                        // The outbox is full: the rest waits for the next pass.
                        return;
                    }
                }
                // Seqs only grow and each capture took one: a gap is what was evicted or expired unsent.
                batch.skipped += record.seq() - expected;
                expected = record.seq() + 1;
                if (sample == null) {
                    batch.skipped++;
                    continue;
                }
                batch.samples.add(sample);
                batch.bytes += size;
                if (early != null) {
                    batch.labelKeys.add(PendingLabels.key(record.model(), record.requestId()));
                }
            }
            flush(batch, expected);
            cursor = expected;
        }
    }

    /** The captures of {@code batch} (if any) into the outbox, the cursor moved to {@code cursorAfter}, atomically. */
    private void flush(Pending batch, long cursorAfter) throws EdgeLoopException {
        Map<String, String> changes = new HashMap<>();
        changes.put(CaptureBuffer.UPLOAD_CURSOR_KEY, Long.toString(cursorAfter));
        batch.labelKeys.forEach(key -> changes.put(key, null));
        if (batch.samples.isEmpty()) {
            state.putAll(changes);
        } else {
            List<CapturedSample> samples = List.copyOf(batch.samples);
            outbox.append(CAPTURES, seq -> encode(new CaptureBatch(deviceId, now(), seq, samples)), changes);
            counters.addBatch();
            counters.addUploaded(samples.size());
            counters.addLabelsOnCaptures(batch.labelKeys.size());
            labels.sent(batch.labelKeys.size());
        }
        if (batch.skipped > 0) {
            counters.addSkipped(batch.skipped);
            LOG.info("{} captures were evicted or expired before their upload (or could not be sent)", batch.skipped);
        }
    }

    private void uploadLabels() throws EdgeLoopException {
        int limit = options.uploadBatchBytes();
        while (outbox.pendingCount(LABELS, MAX_QUEUED_BATCHES) < MAX_QUEUED_BATCHES) {
            List<SampleLabel> pending = labels.list(LABELS_PER_READ);
            if (pending.isEmpty()) {
                return;
            }
            List<SampleLabel> batch = new ArrayList<>();
            Map<String, String> sent = new HashMap<>();
            long bytes = headerBytes();
            for (SampleLabel label : pending) {
                long size = labelBytes(label);
                if (bytes + size > limit) {
                    if (!batch.isEmpty()) {
                        break;
                    }
                    // A request id of hundreds of KB: it can never be sent, so it must not block the rest.
                    LOG.warn("a label of {} is {} bytes encoded, over capture.uploadBatchBytes {}; dropped",
                            label.model(), size, limit);
                    counters.addLabelDropped();
                    sent.put(PendingLabels.key(label.model(), label.requestId()), null);
                    continue;
                }
                batch.add(label);
                bytes += size;
                sent.put(PendingLabels.key(label.model(), label.requestId()), null);
            }
            if (batch.isEmpty()) {
                state.putAll(sent);
            } else {
                List<SampleLabel> labelsOut = List.copyOf(batch);
                outbox.append(LABELS, seq -> encode(new LabelBatch(deviceId, now(), seq, labelsOut)), sent);
                counters.addLabelsSent(labelsOut.size());
            }
            labels.sent(sent.size());
            if (pending.size() < LABELS_PER_READ && sent.size() == pending.size()) {
                return;
            }
        }
    }

    private byte[] encode(Message message) {
        byte[] bytes = codec.encode(message);
        if (bytes.length > options.uploadBatchBytes()) {
            // The size estimates are upper bounds; this is a bug, and nothing is written.
            throw new IllegalStateException(message.schema() + " batch encoded to " + bytes.length
                    + " bytes, over its estimate's limit " + options.uploadBatchBytes());
        }
        return bytes;
    }

    /** The record as a wire sample, or null when it cannot be one (it is then skipped). */
    private static CapturedSample sample(CaptureRecord record, SampleLabel early) {
        float[] probabilities = record.output();
        int predicted = record.predicted();
        float confidence = predicted >= 0 && predicted < probabilities.length ? probabilities[predicted] : 0f;
        confidence = Float.isNaN(confidence) ? 0f : Math.max(0f, Math.min(1f, confidence));
        try {
            return new CapturedSample(record.requestId(), record.model(), record.version(), record.timestampMillis(),
                    predicted, confidence, record.shapeOrRow(), record.input(), early == null ? null : early.label());
        } catch (InvalidFieldException e) {
            LOG.warn("capture {} of {} cannot be sent: {}", record.requestId(), record.model(), e.getMessage());
            return null;
        }
    }

    /** An upper bound of one sample's encoded size: every string escaped at worst, every number at its longest. */
    static long sampleBytes(CapturedSample s) {
        return 240 + 6L * (s.requestId().length() + s.model().length() + s.version().length())
                + 21L * s.shape().length + Float32Le.base64Length(s.inputLength());
    }

    private static long labelBytes(SampleLabel l) {
        return 120 + 6L * (l.requestId().length() + l.model().length() + l.source().length());
    }

    private long headerBytes() {
        return 160 + 6L * deviceId.length();
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.getAsLong());
    }

    /** Stops uploading and collecting labels; what is pending stays for the next start. */
    @Override
    public synchronized void close() {
        closed = true;
        labels.collecting(false);
        if (task != null) {
            task.cancel(false);
        }
    }

    /** A batch being filled. */
    private static final class Pending {
        final List<CapturedSample> samples = new ArrayList<>();
        final List<String> labelKeys = new ArrayList<>();
        long bytes;
        long skipped;

        Pending(long headerBytes) {
            this.bytes = headerBytes;
        }
    }
}
