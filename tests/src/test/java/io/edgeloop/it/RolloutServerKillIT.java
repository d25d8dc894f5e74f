package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.broker.MosquittoFiles;
import io.edgeloop.server.broker.ServerMqttLogin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code edgeloop server} (H2 file, Mosquitto) killed with SIGKILL in the middle of a
 * rollout of 20 devices in 3 waves, then started again on the same data: the rollout resumes from
 * the database and succeeds, and every device ran exactly one job of it.
 */
class RolloutServerKillIT {
    static final int DEVICES = 20;
    @TempDir
    Path dir;

    @Test
    void aKilledServerResumesTheRolloutAndNoDeviceIsUpdatedTwice() throws Exception {
        assumeTrue(MosquittoProcess.available(), "Mosquitto is not installed at " + MosquittoProcess.BINARY);
        Path data = Files.createDirectories(dir.resolve("server"));
        Path passwordFile = data.resolve(ServerMqttLogin.DEFAULT_FILE);
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path pkg = TestPackages.mlpPackage(dir.resolve("pkgs"), "kill-model", "2.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        try (MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"))) {
            new MosquittoFiles(mosquitto.filesDir(), mosquitto.pidFile())
                    .write(ServerMqttLogin.loadOrCreate(passwordFile).account(), List.of());
            mosquitto.start();
            List<String> options = List.of("--mqtt-url", mosquitto.url(),
                    "--mosquitto-dir", mosquitto.filesDir().toString(), "--mosquitto-pid-file", mosquitto.pidFile().toString(),
                    "--trusted-key", keys.publicKey().toString(), "--replica-id", "replica-1");
            ServerProcess first = ServerProcess.start(dir.resolve("server-1.log"), data, options, null);
            ServerProcess second = null;
            try (FakeJobDevices devices = new FakeJobDevices(mosquitto.url(), passwordFile, 150)) {
                RolloutRest rest = new RolloutRest(Files.readString(data.resolve(AdminTokenFile.FILE_NAME)).strip());
                rest.upload(first.url(), pkg);
                for (int i = 0; i < DEVICES; i++) {
                    rest.post(first.url(), "/api/v1/devices", Map.of("deviceId", String.format("k-%02d", i), "group", "kill"));
                }
                String id = rest.post(first.url(), "/api/v1/rollouts", Map.of("package", "kill-model:2.0.0",
                        "target", Map.of("group", "kill"), "wavePercents", "10,50,100")).get("rolloutId").asText();
                JsonNode before = rest.await(first.url(), id, 120,
                        r -> r.get("counts").get("SUCCEEDED").asInt() >= 4, "4 succeeded");
                first.kill();
                long killedAt = System.nanoTime();
                int succeededAtKill = before.get("counts").get("SUCCEEDED").asInt();
                Thread.sleep(2_000);
                second = ServerProcess.start(dir.resolve("server-2.log"), data, options, null);
                JsonNode done = rest.await(second.url(), id, 180, r -> r.get("state").asText().equals("SUCCEEDED"),
                        "SUCCEEDED after the restart");
                double resumedIn = (System.nanoTime() - killedAt) / 1e9;
                assertEquals(DEVICES, done.get("counts").get("SUCCEEDED").asInt());
                List<String> twice = new ArrayList<>();
                long resent = 0;
                for (int i = 0; i < DEVICES; i++) {
                    String d = String.format("k-%02d", i);
                    if (devices.ran.getOrDefault(d, java.util.Set.of()).size() != 1) {
                        twice.add(d + " ran " + devices.ran.get(d));
                    }
                    resent += devices.documents(d) - 1;
                }
                assertEquals(List.of(), twice, "every device ran exactly one job of the rollout");
                for (JsonNode e : rest.get(second.url(), "/api/v1/rollouts/" + id + "/executions")) {
                    assertEquals("SUCCEEDED", e.get("state").asText());
                    assertEquals(1, e.get("attempt").asInt());
                }
                System.out.printf("server kill -9 mid-rollout: %d of %d succeeded at the kill; the restarted server"
                                + " finished the rollout %.1f s after the kill; %d devices each ran 1 job; %d job documents"
                                + " re-sent under the same job id%n", succeededAtKill, DEVICES, resumedIn, DEVICES, resent);
                assertTrue(succeededAtKill < DEVICES, "the kill came mid-rollout");
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }
}
