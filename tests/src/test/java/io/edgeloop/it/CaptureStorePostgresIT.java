package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.SampleLabel;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.audit.AuditQuery;
import io.edgeloop.server.captures.AnnotatorLabel;
import io.edgeloop.server.captures.CaptureRetention;
import io.edgeloop.server.captures.CaptureStore;
import io.edgeloop.server.captures.RetentionSweep;
import io.edgeloop.server.captures.StoredCapture;
import io.edgeloop.server.db.Database;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The capture store's SQL (V5, the dialect's insert-ignore, the retention's deletes) on a real
 * PostgreSQL 15: idempotent inserts, labels before and after their capture, the ingest's seq
 * dedupe, and retention by age, per-device quota and total quota, as on H2.
 */
class CaptureStorePostgresIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        String why = PostgresServer.unavailable();
        assumeTrue(why == null, why);
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void storesLabelsDedupesAndSweepsOnPostgres() throws Exception {
        try (Database db = Database.of(postgres.jdbcUrl(), PostgresServer.USER, "")) {
            Clock at = Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC);
            CaptureStore store = new CaptureStore(db, at, new CaptureRetention(Duration.ofDays(7), 48, 64));
            CaptureStore unlimited = new CaptureStore(db, at, new CaptureRetention(Duration.ofDays(30), 0, 0));

            assertEquals(0, unlimited.label("a", labels("a", 1, "a2", 2)), "before its capture");
            CaptureBatch a = batch("a", 2, T0, "a1", "a2", "a3", "a4", "a5");
            assertEquals(5, unlimited.insert("a", a));
            assertEquals(0, unlimited.insert("a", a), "the same request ids again");
            assertEquals(1, unlimited.label("a", labels("a", 3, "a1", 1)), "after its capture");
            unlimited.insert("a", batch("a", 4, T0.minus(Duration.ofDays(7)), "old"));
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                CaptureStore.Written w = unlimited.write(c, List.of(batch("b", 1, T0.plusSeconds(1), "b1", "b2")),
                        List.of(labels("b", 2, "b2", 4)), true);
                CaptureStore.Written replay = unlimited.write(c, List.of(batch("b", 1, T0.plusSeconds(1), "b1", "b2")),
                        List.of(labels("b", 2, "b2", 4)), true);
                c.commit();
                assertEquals(2, w.captures());
                assertEquals(1, w.matched());
                assertEquals(2, replay.replays());
                assertEquals(0, replay.captures());
            }
            CaptureStore.LabelOutcome annotated = unlimited.annotate(Actor.SYSTEM,
                    List.of(new AnnotatorLabel("a", "a1", "fashion", 6), new AnnotatorLabel("a", "zz", "fashion", 0)));
            assertEquals(new CaptureStore.LabelOutcome(1, 1), annotated);

            List<StoredCapture> labelled = unlimited.labelled("fashion", List.of("a", "b"), 0, 10);
            assertEquals(List.of("a1", "a2", "b2"), labelled.stream().map(StoredCapture::requestId).toList());
            assertEquals(List.of(6, 2, 4), labelled.stream().map(StoredCapture::label).toList());
            assertArrayEquals(input("a2"), labelled.get(1).input());
            assertArrayEquals(new long[] {1, 4}, labelled.get(1).shape());

            // a: 5 left after the age (80 bytes, quota 48): its unlabelled a3, a4 go. Then a1, a2, a5,
            // b1, b2 hold 80 bytes, over the total 64: the oldest unlabelled of anyone, a5.
            RetentionSweep s = store.sweep();
            assertEquals(new RetentionSweep(at.millis(), 1, 2, 1, 4 * 16, 0), s);
            assertEquals(List.of("a1", "a2", "b1", "b2"), unlimited.list(null, "fashion", 0, 100).stream()
                    .map(StoredCapture::requestId).toList());
            assertEquals(1, unlimited.stats("fashion").pendingLabels());
            assertEquals(4, unlimited.counts("fashion", null, 0).totalCaptures());
            assertEquals(1, new AuditLog(db, at).query(AuditQuery.parse("captures", null, null, null)).size());
        }
    }

    private static float[] input(String id) {
        return new float[] {id.length(), id.charAt(0), id.charAt(id.length() - 1), 0.5f};
    }

    private static CaptureBatch batch(String device, long seq, Instant ts, String... ids) {
        List<CapturedSample> samples = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            samples.add(new CapturedSample(ids[i], "fashion", "1.0.0", ts.toEpochMilli() + i, 1, 0.5f, new long[] {1, 4},
                    input(ids[i]), null));
        }
        return new CaptureBatch(device, ts, seq, samples);
    }

    private static LabelBatch labels(String device, long seq, String id, int label) {
        return new LabelBatch(device, T0, seq, List.of(new SampleLabel(id, "fashion", label, T0.toEpochMilli() + seq,
                SampleLabel.FEEDBACK)));
    }
}
