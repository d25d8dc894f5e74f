package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.bench.fleet.FleetAccounts;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.bench.fleet.PostgresProcess;
import io.edgeloop.server.broker.MosquittoFiles;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.telemetry.TelemetryQueries;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on one PostgreSQL 15 and one Mosquitto: the shared subscription splits the
 * telemetry between them, every message is stored exactly once, and both replicas store some.
 */
class FleetReplicasIT {
    static final int AGENTS = 10;
    @TempDir
    Path dir;

    @Test
    void twoReplicasSplitTheTelemetryAndStoreEachMessageOnce() throws Exception {
        assumeTrue(MosquittoProcess.available(), "Mosquitto is not installed at " + MosquittoProcess.BINARY);
        assumeTrue(PostgresProcess.available(), "PostgreSQL 15 is not installed at " + PostgresProcess.BIN);
        FleetAccounts accounts = new FleetAccounts();
        Path passwordFile = dir.resolve("shared").resolve(ServerMqttLogin.DEFAULT_FILE);
        try (PostgresProcess pg = PostgresProcess.start(dir.resolve("pg"));
             MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"))) {
            // Flyway migrates once, before the replicas race for it.
            Database.of(pg.jdbcUrl(), pg.user(), "").close();
            MosquittoFiles files = new MosquittoFiles(mosquitto.filesDir(), mosquitto.pidFile());
            files.write(ServerMqttLogin.loadOrCreate(passwordFile).account(), accounts.activeAccounts());
            mosquitto.start();
            LightFleet agents = new LightFleet(dir.resolve("agents"), accounts, mosquitto.url(), "rdev", AGENTS);
            files.write(ServerMqttLogin.loadOrCreate(passwordFile).account(), accounts.activeAccounts());
            Thread.sleep(500);
            try (IngestProcess one = IngestProcess.start(dir.resolve("ingest-1.log"), pg.jdbcUrl(), pg.user(), "",
                    mosquitto.url(), "replica-1", passwordFile, dir.resolve("server-1"));
                 IngestProcess two = IngestProcess.start(dir.resolve("ingest-2.log"), pg.jdbcUrl(), pg.user(), "",
                         mosquitto.url(), "replica-2", passwordFile, dir.resolve("server-2"))) {
                long t0 = System.nanoTime();
                agents.start().produce(20);
                Thread.sleep(10_000);
                agents.stopProducing();
                FleetTelemetryIT.waitFor(120, () -> agents.pending() == 0 && one.storedInAll() == agents.producedTotal(),
                        () -> "pending " + agents.pending() + ", stored " + one.storedInAll() + " of " + agents.producedTotal()
                                + "\nmosquitto:\n" + mosquitto.logTail() + "\nreplica-1:\n" + one.logTail() + "\nreplica-2:\n" + two.logTail());
                long stored1 = one.stats().get("stored").asLong();
                long stored2 = two.stats().get("stored").asLong();
                try (Database db = Database.of(pg.jdbcUrl(), pg.user(), "")) {
                    TelemetryQueries queries = new TelemetryQueries(db);
                    Map<String, Long> byReplica = new TreeMap<>();
                    for (Object[] row : queries.countsByDevice()) {
                        byReplica.merge((String) row[2], (Long) row[3], Long::sum);
                    }
                    System.out.printf("replicas: %d agents produced %d messages in %.1f s; PostgreSQL holds each once,"
                                    + " stored by replica %s (the replicas counted %d and %d new rows)%n", AGENTS,
                            agents.producedTotal(), (System.nanoTime() - t0) / 1e9, byReplica, stored1, stored2);
                    assertEquals(List.of(), agents.mismatches(queries));
                    assertEquals(2, byReplica.size(), "both replicas store some: " + byReplica);
                    assertTrue(byReplica.values().stream().allMatch(n -> n > 0), byReplica.toString());
                }
            } finally {
                agents.close();
            }
        }
    }
}
