package io.edgeloop.agent.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.buffer.AgentDb;
import io.edgeloop.agent.buffer.AgentState;
import io.edgeloop.agent.buffer.BufferOptions;
import io.edgeloop.agent.buffer.CaptureBuffer;
import io.edgeloop.agent.buffer.CaptureCounters;
import io.edgeloop.agent.buffer.CaptureOptions;
import io.edgeloop.agent.buffer.OutboxEntry;
import io.edgeloop.agent.buffer.PendingLabels;
import io.edgeloop.agent.buffer.SyncPolicy;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.SampleLabel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture uploader on real RocksDB files: captures and labels into the outbox, the cursor
 * across restarts, eviction and retention, labels before and after upload, the batch size limit.
 */
class CaptureUploaderTest {
    private static final String DEVICE = "cam-7";
    private static final MessageCodec CODEC = new MessageCodec();

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_764_000_000_000L);
    private final CaptureCounters counters = new CaptureCounters();

    /** One open agent database and the parts the uploader works on. */
    private final class Db implements AutoCloseable {
        final AgentDb db;
        final CaptureBuffer captures;
        final PendingLabels labels;
        final TelemetryOutbox outbox;
        final AgentState state;
        final CaptureUploader uploader;

        Db(long quotaBytes, CaptureOptions options) throws Exception {
            db = new AgentDb(dir.resolve("db"), new BufferOptions(SyncPolicy.NEVER, 1000, quotaBytes, 1));
            captures = new CaptureBuffer(db, clock::get);
            labels = new PendingLabels(db);
            labels.collecting(true);
            outbox = new TelemetryOutbox(db);
            state = new AgentState(db);
            uploader = new CaptureUploader(DEVICE, captures, labels, outbox, state, options, counters, clock::get, CODEC);
        }

        Db() throws Exception {
            this(64L << 20, CaptureOptions.DEFAULT);
        }

        long capture(String id, int predicted, float... input) throws Exception {
            float[] probs = new float[10];
            probs[predicted] = 0.75f;
            probs[(predicted + 1) % 10] = 0.25f;
            return captures.append(1, id, "fashion", "1.0.0", predicted, new long[] {1, input.length}, input, probs);
        }

        List<CaptureBatch> captureBatches() throws Exception {
            List<CaptureBatch> out = new ArrayList<>();
            for (OutboxEntry e : outbox.pending(CaptureUploader.CAPTURES, 10_000)) {
                out.add(CODEC.decode(e.payload(), CaptureBatch.class));
            }
            return out;
        }

        List<LabelBatch> labelBatches() throws Exception {
            List<LabelBatch> out = new ArrayList<>();
            for (OutboxEntry e : outbox.pending(CaptureUploader.LABELS, 10_000)) {
                out.add(CODEC.decode(e.payload(), LabelBatch.class));
            }
            return out;
        }

        List<String> uploadedIds() throws Exception {
            return captureBatches().stream().flatMap(b -> b.samples().stream()).map(CapturedSample::requestId).toList();
        }

        @Override
        public void close() {
            uploader.close();
            db.close();
        }
    }

    @Test
    void capturesMoveIntoTheOutboxOnceInCaptureOrderWithTheirFields() throws Exception {
        try (Db d = new Db()) {
            d.capture("r0", 3, 0.25f, 0.5f, 1f);
            // A higher priority in between: the upload still follows capture order, not eviction order.
            d.captures.append(3, "r1", "fashion", "1.0.0", 0, new long[] {1, 3}, new float[] {1, 2, 3},
                    new float[] {0.9f, 0.1f});
            d.capture("r2", 9, 0f, 0f, 0f);
            d.uploader.uploadNow();
            List<CaptureBatch> batches = d.captureBatches();
            assertEquals(1, batches.size());
            CaptureBatch batch = batches.get(0);
            assertEquals(DEVICE, batch.deviceId());
            assertEquals(List.of("r0", "r1", "r2"), d.uploadedIds());
            CapturedSample first = batch.samples().get(0);
            assertEquals("fashion", first.model());
            assertEquals("1.0.0", first.version());
            assertEquals(3, first.predicted());
            assertEquals(0.75f, first.confidence());
            assertArrayEquals(new long[] {1, 3}, first.shape());
            assertArrayEquals(new float[] {0.25f, 0.5f, 1f}, first.input());
            assertEquals(clock.get(), first.capturedAtMillis());
            assertNull(first.label());
            assertEquals(0.9f, batch.samples().get(1).confidence());
            assertEquals(3, d.uploader.cursor());

            d.uploader.uploadNow();
            assertEquals(1, d.captureBatches().size(), "nothing new: nothing sent");
            d.capture("r3", 1, 1f);
            d.uploader.uploadNow();
            assertEquals(List.of("r0", "r1", "r2", "r3"), d.uploadedIds());
            assertEquals(4, counters.uploaded());
            assertEquals(2, counters.batches());
            assertEquals(0, counters.skipped());
        }
    }

    @Test
    void theCursorSurvivesARestartSoNoCaptureIsSentTwice() throws Exception {
        try (Db d = new Db()) {
            for (int i = 0; i < 5; i++) {
                d.capture("a" + i, i, i);
            }
            d.uploader.uploadNow();
            // The link sent the first batch: the broker acknowledged it.
            OutboxEntry sent = d.outbox.pending(CaptureUploader.CAPTURES, 1).get(0);
            d.outbox.acknowledge(sent.stream(), sent.seq());
            d.capture("a5", 5, 5);
        }
        try (Db d = new Db()) {
            assertEquals(5, d.uploader.cursor());
            d.uploader.uploadNow();
            assertEquals(List.of("a5"), d.uploadedIds(), "only the capture taken after the last upload");
            List<OutboxEntry> pending = d.outbox.pending(CaptureUploader.CAPTURES, 10);
            assertEquals(2L, pending.get(0).seq(), "outbox seqs keep counting across the restart");
            assertEquals(2L, d.captureBatches().get(0).seq(), "the message carries its outbox seq (the server's dedupe key)");
        }
    }

    @Test
    void sequenceNumbersNeverGoBackBelowTheCursorEvenWhenRetentionEmptiedTheBuffer() throws Exception {
        try (Db d = new Db()) {
            d.capture("old0", 0, 0);
            d.capture("old1", 1, 1);
            d.uploader.uploadNow();
            clock.addAndGet(Duration.ofHours(2).toMillis());
            assertEquals(2, d.captures.sweep(), "uploaded captures are still subject to retention");
            assertEquals(0, d.captures.count());
        }
        try (Db d = new Db()) {
            assertEquals(2, d.capture("new", 2, 2), "the cursor is the floor of the next seq");
            d.uploader.uploadNow();
            assertEquals(List.of("old0", "old1", "new"), d.uploadedIds());
            assertEquals(0, counters.skipped());
        }
    }

    @Test
    void capturesEvictedBeforeUploadAreSkippedAndCounted() throws Exception {
        // Each record is about 3.2 KB: a 20 KB quota keeps the newest few.
        try (Db d = new Db(20_000, CaptureOptions.DEFAULT)) {
            for (int i = 0; i < 30; i++) {
                d.capture("e" + i, i % 10, new float[784]);
            }
            long kept = d.captures.count();
            assertTrue(kept > 0 && kept < 30, "kept " + kept);
            d.uploader.uploadNow();
            List<String> ids = d.uploadedIds();
            assertEquals(kept, ids.size());
            assertEquals("e29", ids.get(ids.size() - 1));
            assertEquals(30 - kept, counters.skipped());
            assertEquals(kept, counters.uploaded());
            assertEquals(30, d.uploader.cursor());
        }
    }

    @Test
    void aLabelBeforeTheUploadRidesOnItsCaptureAndOneAfterGoesInALabelBatch() throws Exception {
        try (Db d = new Db()) {
            d.capture("early", 4, 1, 2);
            d.capture("plain", 5, 3, 4);
            clock.addAndGet(1000);
            assertTrue(d.labels.offer("fashion", "early", 7, clock.get()));
            d.uploader.uploadNow();
            List<CapturedSample> samples = d.captureBatches().get(0).samples();
            assertEquals(7, samples.get(0).label());
            assertNull(samples.get(1).label());
            assertTrue(d.labelBatches().isEmpty(), "the early label went with its capture");
            assertEquals(0, d.labels.count());
            assertEquals(1, counters.labelsOnCaptures());

            clock.addAndGet(1000);
            assertTrue(d.labels.offer("fashion", "plain", 5, clock.get()));
            // Feedback for a request that was never captured is still a label: the server joins them.
            assertTrue(d.labels.offer("fashion", "not-captured", 1, clock.get()));
            d.uploader.uploadNow();
            List<LabelBatch> labels = d.labelBatches();
            assertEquals(1, labels.size());
            assertEquals(List.of(new SampleLabel("not-captured", "fashion", 1, clock.get(), "feedback"),
                    new SampleLabel("plain", "fashion", 5, clock.get(), "feedback")), labels.get(0).labels());
            assertEquals(2, counters.labelsSent());
            assertEquals(0, d.labels.count());
            d.uploader.uploadNow();
            assertEquals(1, d.labelBatches().size(), "a label is sent once");
        }
    }

    @Test
    void pendingLabelsSurviveARestartAndAreKeptOnlyWhileCollecting() throws Exception {
        try (Db d = new Db()) {
            assertTrue(d.labels.offer("fashion", "r", 2, 5));
            d.labels.collecting(false);
            assertFalse(d.labels.offer("fashion", "q", 2, 5), "no uploader: nothing is kept");
        }
        try (Db d = new Db()) {
            assertEquals(1, d.labels.count());
            d.uploader.uploadNow();
            assertEquals(List.of(new SampleLabel("r", "fashion", 2, 5, "feedback")), d.labelBatches().get(0).labels());
        }
    }

    @Test
    void batchesStayUnderTheSizeLimit() throws Exception {
        int limit = 64 * 1024;
        try (Db d = new Db(64L << 20, CaptureOptions.DEFAULT.withUploadBatchBytes(limit))) {
            for (int i = 0; i < 100; i++) {
                float[] image = new float[784];
                image[i] = 1;
                d.capture("img-" + i, i % 10, image);
            }
            d.uploader.uploadNow();
            List<OutboxEntry> entries = d.outbox.pending(CaptureUploader.CAPTURES, 1000);
            assertTrue(entries.size() >= 6, entries.size() + " batches");
            for (OutboxEntry e : entries) {
                assertTrue(e.payload().length <= limit, e.payload().length + " bytes");
            }
            // Not wasteful either: each batch but the last holds at least 3/4 of what the limit allows.
            assertTrue(entries.get(0).payload().length > limit * 3 / 4, entries.get(0).payload().length + " bytes");
            List<String> ids = d.uploadedIds();
            assertEquals(100, ids.size());
            assertEquals("img-0", ids.get(0));
            assertEquals("img-99", ids.get(99));
        }
        try (Db d = new Db(64L << 20, CaptureOptions.DEFAULT)) {
            for (int i = 0; i < 200; i++) {
                d.capture("big-" + i, 0, new float[784]);
            }
            d.uploader.uploadNow();
            for (OutboxEntry e : d.outbox.pending(CaptureUploader.CAPTURES, 1000)) {
                assertTrue(e.payload().length <= CaptureOptions.DEFAULT_UPLOAD_BATCH_BYTES, e.payload().length + " bytes");
            }
        }
    }

    @Test
    void whileTheLinkSendsNothingTheOutboxHoldsAFewBatchesAndTheRestWaitsInTheBuffer() throws Exception {
        try (Db d = new Db(64L << 20, CaptureOptions.DEFAULT.withUploadBatchBytes(64 * 1024))) {
            for (int i = 0; i < 400; i++) {
                d.capture("w" + i, i % 10, new float[784]);
            }
            List<String> sent = new ArrayList<>();
            int passes = 0;
            while (sent.size() < 400) {
                d.uploader.uploadNow();
                d.uploader.uploadNow();
                List<OutboxEntry> queued = d.outbox.pending(CaptureUploader.CAPTURES, 1000);
                assertTrue(queued.size() <= CaptureUploader.MAX_QUEUED_BATCHES, queued.size() + " batches queued");
                assertTrue(queued.size() > 0, "pass " + passes);
                // The link sends (and the broker acknowledges) what is queued.
                for (OutboxEntry e : queued) {
                    sent.addAll(CODEC.decode(e.payload(), CaptureBatch.class).samples().stream()
                            .map(CapturedSample::requestId).toList());
                    d.outbox.acknowledge(e.stream(), e.seq());
                }
                assertTrue(++passes < 50);
            }
            assertTrue(passes >= 2, passes + " passes");
            assertEquals(400, sent.size());
            assertEquals(400, sent.stream().distinct().count());
            assertEquals("w399", sent.get(399));
            assertEquals(0, counters.skipped());
        }
    }

    @Test
    void aCaptureTooLargeForAnyBatchIsSkippedAndTheRestGoOn() throws Exception {
        try (Db d = new Db(64L << 20, CaptureOptions.DEFAULT.withUploadBatchBytes(CaptureOptions.MIN_UPLOAD_BATCH_BYTES))) {
            d.capture("small", 1, 1, 2);
            d.capture("huge", 1, new float[10_000]);
            d.capture("after", 1, 3);
            d.uploader.uploadNow();
            assertEquals(List.of("small", "after"), d.uploadedIds());
            assertEquals(1, counters.skipped());
            assertEquals(3, d.uploader.cursor());
        }
    }

    @Test
    void aClosedUploaderSendsNothingAndStopsCollecting() throws Exception {
        try (Db d = new Db()) {
            d.capture("x", 1, 1);
            d.uploader.close();
            d.uploader.uploadNow();
            assertTrue(d.captureBatches().isEmpty());
            assertFalse(d.labels.collecting());
        }
    }
}
