package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.bench.fleet.FleetAccounts;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.server.broker.MosquittoFiles;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.telemetry.TelemetryQueries;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server process killed with SIGKILL in the middle of ingest, then started again: its
 * persistent session kept what arrived while it was down, what it had not acknowledged is
 * redelivered, and the key drops what it had stored already; per device and stream the messages
 * produced equal the messages stored.
 */
class FleetServerKillIT {
    static final int AGENTS = 10;
    @TempDir
    Path dir;

    @Test
    void aKilledServerLosesNothingAndStoresNothingTwice() throws Exception {
        assumeTrue(MosquittoProcess.available(), "Mosquitto is not installed at " + MosquittoProcess.BINARY);
        FleetAccounts accounts = new FleetAccounts();
        Path passwordFile = dir.resolve("server").resolve(ServerMqttLogin.DEFAULT_FILE);
        // WRITE_DELAY=0: H2 otherwise keeps commits of the last half second in memory, lost to SIGKILL.
        String url = "jdbc:h2:file:" + dir.resolve("server").resolve("edgeloop") + ";WRITE_DELAY=0";
        try (MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"))) {
            MosquittoFiles files = new MosquittoFiles(mosquitto.filesDir(), mosquitto.pidFile());
            files.write(ServerMqttLogin.loadOrCreate(passwordFile).account(), accounts.activeAccounts());
            mosquitto.start();
            LightFleet agents = new LightFleet(dir.resolve("agents"), accounts, mosquitto.url(), "kill", AGENTS);
            files.write(ServerMqttLogin.loadOrCreate(passwordFile).account(), accounts.activeAccounts());
            Thread.sleep(500);
            IngestProcess first = IngestProcess.start(dir.resolve("ingest-1.log"), url, "sa", "", mosquitto.url(),
                    "replica-1", passwordFile, dir.resolve("server"));
            agents.start().produce(20);
            FleetTelemetryIT.waitFor(60, () -> first.storedInAll() > 1000, () -> "stored " + first.storedInAll());
            long storedBeforeKill = first.storedInAll();
            first.kill();
            long killedAt = System.nanoTime();
            long producedAtKill = agents.producedTotal();
            Thread.sleep(5_000);
            IngestProcess second = IngestProcess.start(dir.resolve("ingest-2.log"), url, "sa", "", mosquitto.url(),
                    "replica-1", passwordFile, dir.resolve("server"));
            long restartedAt = System.nanoTime();
            Thread.sleep(3_000);
            agents.stopProducing();
            FleetTelemetryIT.waitFor(120, () -> agents.pending() == 0 && second.storedInAll() == agents.producedTotal(),
                    () -> "pending " + agents.pending() + ", stored " + second.storedInAll() + " of " + agents.producedTotal());
            long caughtUp = System.nanoTime();
            long duplicates = second.stats().get("duplicates").asLong();
            second.stop();
            agents.close();
            try (Database db = Database.of(url, "sa", "")) {
                List<String> mismatches = agents.mismatches(new TelemetryQueries(db));
                System.out.printf("kill -9: %d agents; %d stored when the server was killed (%d produced by then), down"
                                + " %.1f s; all %d produced stored exactly once %.1f s after the restart (%d redelivered"
                                + " duplicates dropped by the key)%n", AGENTS, storedBeforeKill, producedAtKill,
                        (restartedAt - killedAt) / 1e9, agents.producedTotal(), (caughtUp - restartedAt) / 1e9, duplicates);
                assertEquals(List.of(), mismatches);
                assertTrue(agents.producedTotal() > storedBeforeKill);
            }
        }
    }
}
