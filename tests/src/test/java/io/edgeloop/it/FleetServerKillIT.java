package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.telemetry.TelemetryQueries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code edgeloop server} process (H2 in its data folder, Mosquitto, shared subscription)
 * killed with SIGKILL in the middle of ingest, then started again on the same folder and replica
 * id: its persistent session kept what arrived while it was down, what it had not acknowledged is
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
        Path data = dir.resolve("server");
        LightFleet agents = null;
        try (MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"))) {
            ServerProcess first = ServerProcess.onMosquitto(dir.resolve("server-1.log"), data, mosquitto, "replica-1",
                    List.of(), null);
            long storedBeforeKill;
            long producedAtKill;
            long killedAt;
            try {
                List<FleetCredentials> logins = new ArrayList<>();
                for (int i = 0; i < AGENTS; i++) {
                    logins.add(first.enrol("kill-" + i));
                }
                agents = new LightFleet(dir.resolve("agents"), logins).start();
                agents.produce(20);
                FleetTelemetryIT.waitFor(60, () -> first.storedInAll() > 1000, () -> "stored " + first.storedInAll()
                        + "\n" + first.logTail());
                storedBeforeKill = first.storedInAll();
                first.kill();
                killedAt = System.nanoTime();
                producedAtKill = agents.producedTotal();
            } finally {
                first.close();
            }
            Thread.sleep(5_000);
            LightFleet f = agents;
            long caughtUp;
            long restartedAt;
            long duplicates;
            try (ServerProcess second = ServerProcess.onMosquitto(dir.resolve("server-2.log"), data, mosquitto,
                    "replica-1", List.of(), first.adminToken())) {
                restartedAt = System.nanoTime();
                Thread.sleep(3_000);
                agents.stopProducing();
                FleetTelemetryIT.waitFor(120, () -> f.pending() == 0 && second.storedInAll() == f.producedTotal(),
                        () -> "pending " + f.pending() + ", stored " + second.storedInAll() + " of " + f.producedTotal()
                                + "\nserver:\n" + second.logTail());
                caughtUp = System.nanoTime();
                duplicates = second.ingest().get("duplicates").asLong();
                agents.close();
                second.stop();
            }
            try (Database db = Database.embedded(data)) {
                List<String> mismatches = agents.mismatches(new TelemetryQueries(db));
                System.out.printf("kill -9: %d agents, real server process; %d stored when it was killed (%d produced by"
                                + " then), down %.1f s; all %d produced stored exactly once %.1f s after the restart (%d"
                                + " redelivered duplicates dropped by the key)%n", AGENTS, storedBeforeKill, producedAtKill,
                        (restartedAt - killedAt) / 1e9, agents.producedTotal(), (caughtUp - restartedAt) / 1e9, duplicates);
                assertEquals(List.of(), mismatches);
                assertTrue(agents.producedTotal() > storedBeforeKill);
            }
        } finally {
            if (agents != null) {
                agents.close();
            }
        }
    }
}
