package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.bench.fleet.PostgresProcess;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.telemetry.TelemetryQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code edgeloop server} processes on one PostgreSQL 15 and one Mosquitto: devices
 * enrolled through either replica can log in (each replica rewrites the broker's files from the
 * database and signals it), the shared subscription splits the telemetry between them, every
 * message is stored exactly once, and both replicas store some. A device revoked through one
 * replica is refused by the broker.
 */
class FleetReplicasIT {
    static final int AGENTS = 10;
    @TempDir
    Path dir;

    @Test
    void twoReplicasSplitTheTelemetryAndStoreEachMessageOnce() throws Exception {
        assumeTrue(MosquittoProcess.available(), "Mosquitto is not installed at " + MosquittoProcess.BINARY);
        assumeTrue(PostgresProcess.available(), "PostgreSQL 15 is not installed at " + PostgresProcess.BIN);
        LightFleet agents = null;
        try (PostgresProcess pg = PostgresProcess.start(dir.resolve("pg"));
             MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"))) {
            List<String> db = List.of("--db-url", pg.jdbcUrl(), "--db-user", pg.user());
            Path data1 = dir.resolve("server-1");
            Path data2 = dir.resolve("server-2");
            try (ServerProcess one = ServerProcess.onMosquitto(dir.resolve("server-1.log"), data1, mosquitto, "replica-1",
                    db, null)) {
                // Replicas of one broker share the server's broker login.
                Files.createDirectories(data2);
                Files.copy(data1.resolve(ServerMqttLogin.DEFAULT_FILE), data2.resolve(ServerMqttLogin.DEFAULT_FILE));
                try (ServerProcess two = ServerProcess.onMosquitto(dir.resolve("server-2.log"), data2, mosquitto,
                        "replica-2", db, one.adminToken())) {
                    List<FleetCredentials> logins = new ArrayList<>();
                    for (int i = 0; i < AGENTS; i++) {
                        logins.add((i % 2 == 0 ? one : two).enrol("rdev-" + i));
                    }
                    agents = new LightFleet(dir.resolve("agents"), logins).start();
                    LightFleet f = agents;
                    long t0 = System.nanoTime();
                    agents.produce(20);
                    Thread.sleep(10_000);
                    agents.stopProducing();
                    FleetTelemetryIT.waitFor(120, () -> f.pending() == 0 && one.storedInAll() == f.producedTotal(),
                            () -> "pending " + f.pending() + ", stored " + one.storedInAll() + " of " + f.producedTotal()
                                    + "\nmosquitto:\n" + mosquitto.logTail() + "\nreplica-1:\n" + one.logTail()
                                    + "\nreplica-2:\n" + two.logTail());
                    long stored1 = one.ingest().get("stored").asLong();
                    long stored2 = two.ingest().get("stored").asLong();
                    try (Database database = Database.of(pg.jdbcUrl(), pg.user(), "")) {
                        TelemetryQueries queries = new TelemetryQueries(database);
                        Map<String, Long> byReplica = new TreeMap<>();
                        for (Object[] row : queries.countsByDevice()) {
                            byReplica.merge((String) row[2], (Long) row[3], Long::sum);
                        }
                        System.out.printf("replicas: %d agents (enrolled through both) produced %d messages in %.1f s;"
                                        + " PostgreSQL holds each once, stored by replica %s (the replicas counted %d and %d"
                                        + " new rows)%n", AGENTS, agents.producedTotal(), (System.nanoTime() - t0) / 1e9,
                                byReplica, stored1, stored2);
                        assertEquals(List.of(), agents.mismatches(queries));
                        assertEquals(2, byReplica.size(), "both replicas store some: " + byReplica);
                        assertTrue(byReplica.values().stream().allMatch(n -> n > 0), byReplica.toString());
                    }
                    // Revoked through replica 2, a device enrolled through replica 1 is cut off by the broker.
                    two.revoke("rdev-0");
                    FleetTelemetryIT.waitFor(30, () -> !f.agent("rdev-0").link().connected(),
                            () -> "rdev-0 still connected after its revocation");
                    assertTrue(f.agent("rdev-1").link().connected(), "the other devices stay connected");
                }
            }
        } finally {
            if (agents != null) {
                agents.close();
            }
        }
    }
}
