package io.edgeloop.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.topic.Topics;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.telemetry.DeviceStates;
import io.edgeloop.server.telemetry.TelemetryQueries;
import io.edgeloop.server.telemetry.TelemetryRetention;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestStoreTest {
    private final MessageCodec codec = new MessageCodec();
    private final IngestDecoder decoder = new IngestDecoder(codec);
    private final IngestStore store = new IngestStore("replica-1");

    private Arrival arrival(String topic, Message m) {
        return new Arrival(topic, codec.encode(m), 1, 1, System.currentTimeMillis());
    }

    private int write(Database db, Arrival... arrivals) throws Exception {
        IngestBatch batch = new IngestBatch();
        for (Arrival a : arrivals) {
            decoder.add(batch, a);
        }
        try (Connection c = db.connect()) {
            return store.write(c, batch);
        }
    }

    @Test
    void storesEachMessageOnceAndCountsForeignAndMalformedOnes() throws Exception {
        try (Database db = Database.inMemory("ingest-store")) {
            Instant t = Instant.parse("2026-12-01T10:00:00Z");
            Arrival h1 = arrival(Topics.health("a"), Telemetry.health("a", 1, t));
            Arrival h2 = arrival(Topics.health("a"), Telemetry.health("a", 2, t.plusSeconds(1)));
            Arrival d1 = arrival(Topics.drift("a"), Telemetry.drift("a", 1, t, true));
            assertEquals(3, write(db, h1, h2, d1, h1));
            assertEquals(0, write(db, h1, h2, d1), "a replay stores nothing");
            Arrival foreign = arrival(Topics.health("b"), Telemetry.health("a", 3, t));
            Arrival garbage = new Arrival(Topics.health("a"), "{not json".getBytes(StandardCharsets.UTF_8), 1, 1, 0);
            assertEquals(1, write(db, foreign, garbage, arrival(Topics.health("a"), Telemetry.health("a", 3, t))));

            TelemetryQueries queries = new TelemetryQueries(db);
            assertEquals(4, queries.total());
            assertEquals(2, queries.rejects(ErrorCode.MALFORMED_MESSAGE));
            List<TelemetryQueries.Entry> health = queries.forDevice("a", "health", 0, 10);
            assertEquals(List.of(2L, 3L, 1L), health.stream().map(TelemetryQueries.Entry::seq).toList());
            assertEquals(1, queries.forModel("fashion", "1.2.0", "drift", 0, 10).size());
            assertEquals("replica-1", health.get(0).ingestedBy());
        }
    }

    @Test
    void manyRowsGoInMultiRowStatementsAndRepeatsInOneBatchAreStoredOnce() throws Exception {
        try (Database db = Database.inMemory("ingest-chunks")) {
            Instant t = Instant.parse("2026-12-01T10:00:00Z");
            int n = IngestStore.ROWS_PER_STATEMENT * 2 + 37;
            List<Arrival> first = new java.util.ArrayList<>();
            for (int seq = 1; seq <= n; seq++) {
                first.add(arrival(Topics.health("many"), Telemetry.health("many", seq, t.plusMillis(seq))));
            }
            // Half stored already, then the whole lot again with every message twice in one batch.
            assertEquals(n / 2, write(db, first.subList(0, n / 2).toArray(Arrival[]::new)));
            List<Arrival> again = new java.util.ArrayList<>(first);
            again.addAll(first);
            assertEquals(n - n / 2, write(db, again.toArray(Arrival[]::new)));
            assertEquals(0, write(db, first.toArray(Arrival[]::new)));
            assertEquals(n, new TelemetryQueries(db).total());
        }
    }

    @Test
    void birthAndStatusMakeTheDeviceStateAndTheLastWillTakesItOffline() throws Exception {
        try (Database db = Database.inMemory("ingest-state")) {
            write(db, arrival(Topics.birth("gw"), Telemetry.birth("gw")), arrival(Topics.status("gw"), Telemetry.status("gw", true)),
                    arrival(Topics.health("gw"), Telemetry.health("gw", 1, Instant.now())));
            DeviceStates states = new DeviceStates(db);
            DeviceStates.State s = states.get("gw").orElseThrow();
            assertTrue(s.online());
            assertEquals("generic-x86_64", s.profileId());
            assertTrue(s.models().contains("fashion"));
            assertTrue(s.lastHealth().contains("edgeloop.health/1"));
            assertEquals(1, states.list(true).size());
            write(db, arrival(Topics.status("gw"), Telemetry.status("gw", false)));
            assertFalse(states.get("gw").orElseThrow().online());
            assertEquals(0, states.list(true).size());
        }
    }

    @Test
    void rawTelemetryPastItsRetentionIsFoldedIntoHours() throws Exception {
        try (Database db = Database.inMemory("ingest-retention")) {
            Instant old = Instant.parse("2026-11-01T10:15:00Z");
            Instant now = Instant.parse("2026-12-01T10:00:00Z");
            write(db, arrival(Topics.health("a"), Telemetry.health("a", 1, old)),
                    arrival(Topics.health("a"), Telemetry.health("a", 2, old.plusSeconds(60))),
                    arrival(Topics.drift("a"), Telemetry.drift("a", 1, old, true)),
                    arrival(Topics.health("a"), Telemetry.health("a", 3, now.minusSeconds(60))));
            TelemetryRetention retention = new TelemetryRetention(db, Duration.ofDays(7));
            assertEquals(3, retention.run(now.toEpochMilli()));
            assertEquals(1, new TelemetryQueries(db).total());
            try (Connection c = db.connect(); var rs = c.createStatement().executeQuery(
                    "SELECT stream, messages, min_seq, max_seq, max_p95_micros, drifted_count FROM telemetry_hourly ORDER BY stream")) {
                assertTrue(rs.next());
                assertEquals("drift", rs.getString(1));
                assertEquals(1, rs.getLong(2));
                assertEquals(1, rs.getLong(6));
                assertTrue(rs.next());
                assertEquals("health", rs.getString(1));
                assertEquals(2, rs.getLong(2));
                assertEquals(1, rs.getLong(3));
                assertEquals(2, rs.getLong(4));
                assertEquals(202.0, rs.getDouble(5));
                assertFalse(rs.next());
            }
            assertEquals(0, retention.run(now.toEpochMilli()), "nothing is folded twice");
        }
    }
}
