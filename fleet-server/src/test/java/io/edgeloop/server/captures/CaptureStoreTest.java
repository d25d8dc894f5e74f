package io.edgeloop.server.captures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.audit.AuditEntry;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.audit.AuditQuery;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.fixtures.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture store on an H2 file database: idempotent inserts, labels before and after, retention. */
class CaptureStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final CaptureRetention NO_QUOTA = new CaptureRetention(Duration.ofDays(30), 0, 0);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void aCaptureSentTwiceIsStoredOnceWithItsInputAndShape() throws Exception {
        try (Database db = Database.embedded(dir)) {
            CaptureStore store = new CaptureStore(db, clock, NO_QUOTA);
            CaptureBatch batch = Captures.batch("cam-1", 1, T0, "r1", "r2", "r3");
            assertEquals(3, store.insert("cam-1", batch));
            assertEquals(0, store.insert("cam-1", batch), "the same request ids again store nothing");
            assertEquals(1, store.insert("cam-1", Captures.batch("cam-1", 2, T0.plusSeconds(1), "r3", "r4")));

            List<StoredCapture> all = store.list("cam-1", "fashion", 0, 100);
            assertEquals(List.of("r1", "r2", "r3", "r4"), all.stream().map(StoredCapture::requestId).toList());
            StoredCapture first = all.get(0);
            assertArrayEquals(new long[] {1, 4}, first.shape());
            assertArrayEquals(Captures.input("r1"), first.input());
            assertEquals("1.0.0", first.version());
            assertEquals(2, first.predicted());
            assertEquals(0.75f, first.confidence());
            assertNull(first.label());
            assertEquals(4, store.metrics().capturesStored());
            assertEquals(4, store.metrics().captureDuplicates());
            EdgeLoopException foreign = assertThrows(EdgeLoopException.class, () -> store.insert("cam-2", batch));
            assertEquals(ErrorCode.INVALID_ARGUMENT, foreign.code());
        }
    }

    @Test
    void labelsArriveBeforeOrAfterTheirCaptureAndANewerOneWins() throws Exception {
        try (Database db = Database.embedded(dir)) {
            CaptureStore store = new CaptureStore(db, clock, NO_QUOTA);
            // r1's label first: it waits for its capture.
            assertEquals(0, store.label("cam-1", Captures.labels("cam-1", 1, Map.of("r1", 7), T0.toEpochMilli())));
            assertEquals(1, store.stats(null).pendingLabels());
            assertEquals(2, store.insert("cam-1", Captures.batch("cam-1", 1, T0, "r1", "r2")));
            assertEquals(0, store.stats(null).pendingLabels());
            // r2's label after its capture.
            assertEquals(1, store.label("cam-1", Captures.labels("cam-1", 2, Map.of("r2", 4), T0.toEpochMilli())));
            List<StoredCapture> labelled = store.labelled("fashion", List.of("cam-1"), 0, 10);
            assertEquals(List.of(7, 4), labelled.stream().map(StoredCapture::label).toList());
            assertEquals(List.of("feedback", "feedback"), labelled.stream().map(StoredCapture::labelSource).toList());

            // An annotator corrects r2 later; a stale feedback label of r2 then changes nothing.
            clock.advance(Duration.ofMinutes(5));
            CaptureStore.LabelOutcome outcome = store.annotate(new Actor("t1", "annotator", Role.OPERATOR),
                    List.of(new AnnotatorLabel("cam-1", "r2", "fashion", 5), new AnnotatorLabel("cam-1", "r9", "fashion", 1)));
            assertEquals(new CaptureStore.LabelOutcome(1, 1), outcome);
            store.label("cam-1", Captures.labels("cam-1", 3, Map.of("r2", 3), T0.toEpochMilli() + 1));
            StoredCapture r2 = store.labelled("fashion", null, 0, 10).get(1);
            assertEquals(5, r2.label());
            assertEquals("annotator", r2.labelSource());
            List<AuditEntry> audit = new AuditLog(db, clock).query(AuditQuery.parse("captures:fashion", null, null, null));
            assertEquals(1, audit.size());
            assertEquals("captures.label", audit.get(0).action());
            assertEquals(1, audit.get(0).after().get("pending").asInt());

            CaptureCounts counts = store.counts("fashion", List.of("cam-1", "cam-2"), 0);
            assertEquals(Map.of("cam-1", 2L), counts.captures());
            assertEquals(2, counts.totalLabelled());
            assertEquals(0, store.counts("fashion", null, T0.toEpochMilli() + 2).totalCaptures());
            assertEquals(0, store.counts("other", null, 0).totalCaptures());
        }
    }

    @Test
    void aReplayedMessageIsSkippedByItsSeqEvenAfterRetentionDeletedItsCaptures() throws Exception {
        try (Database db = Database.embedded(dir)) {
            CaptureStore store = new CaptureStore(db, clock, new CaptureRetention(Duration.ofDays(1), 0, 0));
            CaptureBatch batch = Captures.batch("cam-1", 9, T0, "r1", "r2");
            LabelBatch labels = Captures.labels("cam-1", 10, Map.of("r1", 1), T0.toEpochMilli());
            CaptureStore.Written first = writeAndCommit(db, store, List.of(batch, batch), List.of(labels));
            assertEquals(2, first.captures());
            assertEquals(1, first.replays(), "the copy in the same batch");
            assertEquals(1, first.matched());
            clock.advance(Duration.ofHours(23));
            CaptureStore.Written replay = writeAndCommit(db, store, List.of(batch), List.of(labels));
            assertEquals(new CaptureStore.Written(0, 0, 0, 0, 0, 2, Set.of()), replay);

            clock.advance(Duration.ofHours(2));
            RetentionSweep aged = store.sweep();
            assertEquals(2, aged.byAge());
            assertEquals(2 * 16, aged.bytesFreed());
            // Its seen mark is gone with it; a replay now is past the maximum age and not stored either.
            CaptureStore.Written late = writeAndCommit(db, store, List.of(batch), List.of());
            assertEquals(0, late.captures());
            assertEquals(2, late.expired());
            assertEquals(0, store.stats(null).captures());
        }
    }

    @Test
    void retentionDeletesByAgeThenOldestUnlabelledFirstPerDeviceAndInTotal() throws Exception {
        try (Database db = Database.embedded(dir)) {
            // Each capture holds 16 bytes (4 float32): 2 a device, 3 in all.
            CaptureStore store = new CaptureStore(db, clock, new CaptureRetention(Duration.ofDays(7), 32, 48));
            CaptureStore unlimited = new CaptureStore(db, clock, NO_QUOTA);
            unlimited.insert("a", Captures.batch("a", 1, T0.minus(Duration.ofDays(6).plusHours(1)), "old"));
            unlimited.insert("a", Captures.batch("a", 2, T0.plusSeconds(1), "a1", "a2", "a3", "a4", "a5"));
            unlimited.insert("b", Captures.batch("b", 1, T0.plusSeconds(2), "b1", "b2"));
            unlimited.label("a", Captures.labels("a", 3, Map.of("a1", 1, "a2", 2), T0.toEpochMilli()));
            unlimited.label("a", Captures.labels("a", 4, Map.of("gone", 1), T0.toEpochMilli()));
            clock.advance(Duration.ofDays(1));

            RetentionSweep s = store.sweep();
            // After the age, a holds a1..a5 (80 bytes), over its 32: its unlabelled a3, a4, a5 go.
            // Then a1, a2, b1, b2 hold 64 bytes, over the total 48: the oldest unlabelled of anyone, b1.
            assertEquals(new RetentionSweep(clock.millis(), 1, 3, 1, 5 * 16, 0), s);
            assertEquals(List.of("a1", "a2", "b2"), ids(store.list(null, "fashion", 0, 100)));

            // Only labelled captures left over a quota: the oldest labelled go, with their labels.
            RetentionSweep tight = new CaptureStore(db, clock, new CaptureRetention(Duration.ofDays(7), 16, 0)).sweep();
            assertEquals(1, tight.byDeviceQuota());
            assertEquals(List.of("a2", "b2"), ids(store.list(null, "fashion", 0, 100)));
            assertEquals(List.of("a2"), ids(store.labelled("fashion", null, 0, 10)));

            clock.advance(Duration.ofDays(7));
            RetentionSweep later = store.sweep();
            assertEquals(2, later.byAge());
            assertEquals(1, later.pendingLabelsExpired(), "the label of a capture that never came expires");
            assertEquals(0, store.stats(null).captures());
            assertEquals(0, store.stats(null).pendingLabels());
            assertEquals(2, store.metrics().sweeps());
            assertEquals(3, store.metrics().deletedByAge());
            assertEquals(3, store.metrics().deletedByDeviceQuota());
            assertEquals(1, store.metrics().deletedByTotalQuota());
            assertEquals(later, store.metrics().lastDeletingSweep());
            List<AuditEntry> audit = new AuditLog(db, clock).query(AuditQuery.parse("captures", null, null, null));
            assertEquals(3, audit.size());
            assertEquals("captures.retention", audit.get(2).action());
            assertEquals(3, audit.get(2).after().get("deletedByDeviceQuota").asInt());
            assertEquals(32, audit.get(2).after().get("deviceQuotaBytes").asInt());
            assertEquals(1, audit.get(0).after().get("pendingLabelsExpired").asInt());
            assertEquals(0, store.sweep().deleted());
            assertEquals(3, new AuditLog(db, clock).query(AuditQuery.parse("captures", null, null, null)).size(),
                    "a sweep that deletes nothing is not audited");
        }
    }

    @Test
    void anInsertOverAQuotaSweepsAtOnce() throws Exception {
        try (Database db = Database.embedded(dir)) {
            CaptureStore store = new CaptureStore(db, clock, new CaptureRetention(Duration.ofDays(7), 32, 0));
            store.insert("a", Captures.batch("a", 1, T0, "a1", "a2"));
            assertEquals(0, store.metrics().sweeps());
            store.insert("a", Captures.batch("a", 2, T0.plusSeconds(1), "a3"));
            assertEquals(1, store.metrics().sweeps());
            assertEquals(List.of("a2", "a3"), ids(store.list("a", null, 0, 10)));
            CaptureStats stats = store.stats("fashion");
            assertEquals(1, stats.devices().size());
            assertEquals(new CaptureStats.Device("a", 2, 0, 32, T0.toEpochMilli() + 1, T0.toEpochMilli() + 1000),
                    stats.devices().get(0));
        }
    }

    @Test
    void readsRefuseABadLimitOrNoModel() throws Exception {
        try (Database db = Database.embedded(dir)) {
            CaptureStore store = new CaptureStore(db, clock, NO_QUOTA);
            assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EdgeLoopException.class,
                    () -> store.list(null, null, 0, 0)).code());
            assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EdgeLoopException.class,
                    () -> store.counts(" ", null, 0)).code());
            assertTrue(store.list(null, null, 0, CaptureStore.MAX_LIMIT).isEmpty());
        }
    }

    private static CaptureStore.Written writeAndCommit(Database db, CaptureStore store, List<CaptureBatch> captures,
                                                       List<LabelBatch> labels) throws Exception {
        CaptureStore.Written w;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            w = store.write(c, captures, labels, true);
            c.commit();
        }
        store.committed(w);
        return w;
    }

    private static List<String> ids(List<StoredCapture> captures) {
        return captures.stream().map(StoredCapture::requestId).toList();
    }
}
