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
 * Mosquitto (with persistence) stopped for 30 s while agents keep producing telemetry, then
 * started again, under a real {@code edgeloop server} process whose ingest uses the shared
 * subscription and persistent session it always uses on an external broker. Mosquitto 2.0.11
 * restores the server's session but not its shared subscription: the server subscribes again on
 * reconnect and announces itself, and agents send their outbox only once they hear that, so per
 * device and stream the messages produced equal the messages stored, none lost and none twice.
 */
class FleetOutageIT {
    static final int AGENTS = 10;
    @TempDir
    Path dir;

    @Test
    void aThirtySecondBrokerOutageLosesNothingAndDuplicatesNothing() throws Exception {
        assumeTrue(MosquittoProcess.available(), "Mosquitto is not installed at " + MosquittoProcess.BINARY);
        Path data = dir.resolve("server");
        LightFleet fleet = null;
        try (MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"));
             ServerProcess server = ServerProcess.onMosquitto(dir.resolve("server.log"), data, mosquitto, "outage-1",
                     List.of(), null)) {
            List<FleetCredentials> logins = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                logins.add(server.enrol("outage-" + i));
            }
            fleet = new LightFleet(dir.resolve("agents"), logins).start();
            fleet.produce(100);
            LightFleet f = fleet;
            FleetTelemetryIT.waitFor(60, () -> server.storedInAll() > 100, () -> "stored " + server.storedInAll()
                    + "\n" + server.logTail());
            Thread.sleep(3_000);
            long beforeStop = server.storedInAll();
            mosquitto.stop();
            long stoppedAt = System.nanoTime();
            long producedAtStop = fleet.producedTotal();
            Thread.sleep(30_000);
            long producedDuringOutage = fleet.producedTotal() - producedAtStop;
            mosquitto.start();
            long restartedAt = System.nanoTime();
            Thread.sleep(5_000);
            fleet.stopProducing();
            FleetTelemetryIT.waitFor(120, () -> f.pending() == 0 && server.storedInAll() == f.producedTotal(),
                    () -> "pending " + f.pending() + ", stored " + server.storedInAll() + " of " + f.producedTotal()
                            + "\nmosquitto:\n" + mosquitto.logTail() + "\nserver:\n" + server.logTail());
            long caughtUp = System.nanoTime();
            long duplicates = server.ingest().get("duplicates").asLong();
            fleet.close();
            server.stop();
            try (Database db = Database.embedded(data)) {
                List<String> mismatches = fleet.mismatches(new TelemetryQueries(db));
                System.out.printf("outage: %d agents, real server process on a shared subscription; %d stored before the"
                                + " stop, broker down %.1f s while %d messages were produced; all %d produced stored"
                                + " exactly once %.1f s after the restart (%d duplicates dropped by the key)%n", AGENTS,
                        beforeStop, (restartedAt - stoppedAt) / 1e9, producedDuringOutage, fleet.producedTotal(),
                        (caughtUp - restartedAt) / 1e9, duplicates);
                assertEquals(List.of(), mismatches);
                assertTrue(producedDuringOutage > 0, "agents produced during the outage");
            }
        } finally {
            if (fleet != null) {
                fleet.close();
            }
        }
    }
}
