package io.edgeloop.agent.buffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentDbTest {
    @TempDir
    Path dir;

    private BufferOptions options(SyncPolicy sync, long quota) {
        return new BufferOptions(sync, 50, quota, 1);
    }

    @Test
    void capturesSurviveReopenAndKeepTheirSequence() throws Exception {
        try (AgentDb db = new AgentDb(dir.resolve("db"), options(SyncPolicy.ALWAYS, 1 << 20))) {
            CaptureBuffer capture = new CaptureBuffer(db, System::currentTimeMillis);
            assertEquals(0, capture.append(1, "r0", "m", "1", 3, new float[]{1, 2}, new float[]{0.1f, 0.9f}));
            assertEquals(1, capture.append(2, "r1", "m", "1", 1, new float[]{3, 4}, new float[]{0.6f, 0.4f}));
        }
        try (AgentDb db = new AgentDb(dir.resolve("db"), options(SyncPolicy.INTERVAL, 1 << 20))) {
            CaptureBuffer capture = new CaptureBuffer(db, System::currentTimeMillis);
            assertEquals(2, capture.count());
            assertEquals(2, capture.append(1, "r2", "m", "1", 0, new float[]{5}, new float[]{1}));
            List<CaptureRecord> records = capture.list(10);
            // Eviction order: priority 1 first (seq 0, then 2), then priority 2.
            assertEquals(List.of("r0", "r2", "r1"), records.stream().map(CaptureRecord::requestId).toList());
            assertArrayEquals(new float[]{3, 4}, records.get(2).input());
            assertEquals(1, records.get(2).predicted());
        }
    }

    @Test
    void quotaEvictsLowestPriorityOldestFirstAndSweepDropsOldRecords() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        try (AgentDb db = new AgentDb(dir.resolve("db"), options(SyncPolicy.NEVER, 2_000))) {
            CaptureBuffer capture = new CaptureBuffer(db, clock::get);
            float[] input = new float[100];
            capture.append(5, "keep", "m", "1", 0, input, new float[10]);
            for (int i = 0; i < 10; i++) {
                capture.append(1, "low" + i, "m", "1", 0, input, new float[10]);
            }
            assertTrue(capture.bytes() <= 2_000, "size " + capture.bytes());
            List<String> ids = capture.list(100).stream().map(CaptureRecord::requestId).toList();
            assertTrue(ids.contains("keep"), ids.toString());
            assertTrue(ids.contains("low9"), ids.toString());
            assertTrue(!ids.contains("low0"), ids.toString());
            clock.addAndGet(Duration.ofHours(2).toMillis());
            capture.append(1, "fresh", "m", "1", 0, new float[1], new float[1]);
            assertEquals(ids.size(), capture.sweep());
            assertEquals(List.of("fresh"), capture.list(100).stream().map(CaptureRecord::requestId).toList());
        }
    }

    @Test
    void outboxKeepsMessagesUntilAcknowledgedAndNeverReusesSequenceNumbers() throws Exception {
        try (AgentDb db = new AgentDb(dir.resolve("db"), options(SyncPolicy.ALWAYS, 1 << 20))) {
            TelemetryOutbox outbox = new TelemetryOutbox(db);
            assertEquals(1, outbox.append("health", bytes("h1")));
            assertEquals(2, outbox.append("health", bytes("h2")));
            assertEquals(1, outbox.append("drift", bytes("d1")));
            outbox.acknowledge("health", 1);
            AgentState state = new AgentState(db);
            state.putLong("download.job-7.offset", 4096);
        }
        try (AgentDb db = new AgentDb(dir.resolve("db"), options(SyncPolicy.ALWAYS, 1 << 20))) {
            TelemetryOutbox outbox = new TelemetryOutbox(db);
            List<OutboxEntry> health = outbox.pending("health", 10);
            assertEquals(1, health.size());
            assertEquals(2, health.get(0).seq());
            assertEquals("h2", new String(health.get(0).payload(), StandardCharsets.UTF_8));
            outbox.acknowledge("health", 2);
            assertEquals(List.of(), outbox.pending("health", 10));
            // Every message acknowledged and the DB reopened: the sequence still moves forward.
            assertEquals(3, outbox.append("health", bytes("h3")));
            assertEquals(1, outbox.pending("drift", 10).size());
            assertEquals(4096, new AgentState(db).getLong("download.job-7.offset", -1));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fromReadsInCaptureOrderAcrossPrioritiesWithinItsCountAndByteBounds() throws Exception {
        try (AgentDb db = new AgentDb(dir.resolve("db"), options(SyncPolicy.NEVER, 1 << 24))) {
            CaptureBuffer capture = new CaptureBuffer(db, System::currentTimeMillis);
            int[] priorities = {1, 3, 1, 2, 2, 1, 3, 1, 1, 2};
            for (int i = 0; i < priorities.length; i++) {
                capture.append(priorities[i], "r" + i, "m", "1", 0, new long[] {1, 100}, new float[100], new float[2]);
            }
            assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L), seqs(capture.from(3, 100, Long.MAX_VALUE)));
            assertEquals(List.of(0L, 1L, 2L, 3L), seqs(capture.from(0, 4, Long.MAX_VALUE)));
            // One record per priority's worth of bytes: only what is certain to come first is returned.
            List<Long> small = seqs(capture.from(0, 100, 1));
            assertEquals(List.of(0L), small);
            List<Long> all = new ArrayList<>();
            for (long cursor = 0; ; ) {
                List<CaptureRecord> next = capture.from(cursor, 3, 500);
                if (next.isEmpty()) {
                    break;
                }
                next.forEach(r -> all.add(r.seq()));
                cursor = next.get(next.size() - 1).seq() + 1;
            }
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), all);
            assertArrayEquals(new long[] {1, 100}, capture.from(9, 1, 1).get(0).shapeOrRow());
            assertTrue(capture.from(10, 5, 1).isEmpty());
            // A record without a shape (as agents wrote them before shapes were kept) reads as one row.
            capture.append(1, "old", "m", "1", 0, new float[] {1, 2, 3}, new float[2]);
            CaptureRecord old = capture.from(10, 1, 1).get(0);
            assertEquals(null, old.shape());
            assertArrayEquals(new long[] {1, 3}, old.shapeOrRow());
        }
    }

    private static List<Long> seqs(List<CaptureRecord> records) {
        return records.stream().map(CaptureRecord::seq).toList();
    }
}
