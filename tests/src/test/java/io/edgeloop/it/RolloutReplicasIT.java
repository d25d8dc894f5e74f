package io.edgeloop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code edgeloop server} processes on one PostgreSQL 15 and one Mosquitto: rollout progression
 * runs exactly once (one lease holder; each wave started once, each device notified under one
 * job), and after SIGKILL of the holder mid-rollout the other replica takes the lease over and
 * finishes the rollout.
 */
class RolloutReplicasIT {
    static final int DEVICES = 20;
    @TempDir
    Path dir;

    @Test
    void progressionRunsOnceAndTheSurvivorFinishes() throws Exception {
        assumeTrue(MosquittoProcess.available(), "Mosquitto is not installed at " + MosquittoProcess.BINARY);
        String why = PostgresServer.unavailable();
        assumeTrue(why == null, why);
        Path data = Files.createDirectories(dir.resolve("server"));
        Path passwordFile = data.resolve(ServerMqttLogin.DEFAULT_FILE);
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path pkg = TestPackages.mlpPackage(dir.resolve("pkgs"), "replica-model", "3.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        try (PostgresServer postgres = PostgresServer.start();
             MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"))) {
            new MosquittoFiles(mosquitto.filesDir(), mosquitto.pidFile())
                    .write(ServerMqttLogin.loadOrCreate(passwordFile).account(), List.of());
            mosquitto.start();
            Map<String, ServerProcess> replicas = new HashMap<>();
            try (FakeJobDevices devices = new FakeJobDevices(mosquitto.url(), passwordFile, 200)) {
                for (String replica : List.of("replica-1", "replica-2")) {
                    // One data dir: the package store is the replicas' shared volume.
                    replicas.put(replica, ServerProcess.start(dir.resolve(replica + ".log"), data,
                            List.of("--db-url", postgres.jdbcUrl(), "--db-user", PostgresServer.USER,
                            "--mqtt-url", mosquitto.url(), "--mosquitto-dir", mosquitto.filesDir().toString(),
                            "--mosquitto-pid-file", mosquitto.pidFile().toString(), "--trusted-key",
                            keys.publicKey().toString(), "--replica-id", replica), null));
                }
                ServerProcess one = replicas.get("replica-1");
                ServerProcess two = replicas.get("replica-2");
                RolloutRest rest = new RolloutRest(Files.readString(data.resolve(AdminTokenFile.FILE_NAME)).strip());
                rest.upload(one.url(), pkg);
                for (int i = 0; i < DEVICES; i++) {
                    rest.post(one.url(), "/api/v1/devices", Map.of("deviceId", String.format("p-%02d", i), "group", "pg"));
                }
                String id = rest.post(two.url(), "/api/v1/rollouts", Map.of("package", "replica-model:3.0.0",
                        "target", Map.of("group", "pg"), "wavePercents", "10,50,100")).get("rolloutId").asText();
                rest.await(one.url(), id, 120, r -> r.get("counts").get("SUCCEEDED").asInt() >= 4, "4 succeeded");
                String holder = leaseOwner(postgres);
                assertNotNull(holder, "a replica holds the engine lease");
                String holderReplica = holder.substring(0, holder.indexOf('/'));
                ServerProcess killed = replicas.get(holderReplica);
                String survivorReplica = holderReplica.equals("replica-1") ? "replica-2" : "replica-1";
                ServerProcess survivor = replicas.get(survivorReplica);
                killed.kill();
                long killedAt = System.nanoTime();
                JsonNode done = rest.await(survivor.url(), id, 180, r -> r.get("state").asText().equals("SUCCEEDED"),
                        "SUCCEEDED on the survivor");
                double finishedIn = (System.nanoTime() - killedAt) / 1e9;
                String newHolder = leaseOwner(postgres);
                assertTrue(newHolder.startsWith(survivorReplica + "/"), newHolder);
                assertEquals(DEVICES, done.get("counts").get("SUCCEEDED").asInt());

                List<String> wrong = new ArrayList<>();
                for (int i = 0; i < DEVICES; i++) {
                    String d = String.format("p-%02d", i);
                    if (devices.ran.getOrDefault(d, Set.of()).size() != 1) {
                        wrong.add(d + " ran " + devices.ran.get(d));
                    }
                }
                assertEquals(List.of(), wrong, "every device ran exactly one job");
                Map<String, Integer> decisions = new HashMap<>();
                for (JsonNode a : rest.get(survivor.url(), "/api/v1/audit?target=rollout:" + id + "&limit=1000")) {
                    decisions.merge(a.get("action").asText(), 1, Integer::sum);
                }
                assertEquals(1, decisions.get("rollout.start"), decisions.toString());
                assertEquals(3, decisions.get("rollout.wave.start"), decisions.toString());
                assertEquals(2, decisions.get("rollout.wave.done"), decisions.toString());
                assertEquals(1, decisions.get("rollout.succeeded"), decisions.toString());
                System.out.printf("replicas on PostgreSQL: %s held the lease and was killed -9 mid-rollout; %s took over"
                                + " and finished %.1f s later; %d devices each ran 1 job; decisions %s%n", holderReplica,
                        survivorReplica, finishedIn, DEVICES, decisions);
            } finally {
                for (ServerProcess p : replicas.values()) {
                    p.close();
                }
            }
        }
    }

    private static String leaseOwner(PostgresServer postgres) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, "");
             ResultSet rs = c.createStatement().executeQuery("SELECT owner FROM rollout_leases WHERE name = 'engine'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
