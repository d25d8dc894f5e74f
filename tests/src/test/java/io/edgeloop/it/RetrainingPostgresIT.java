package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.ModelRef;
import io.edgeloop.protocol.message.OutputDrift;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.retraining.DecisionState;
import io.edgeloop.server.retraining.RetrainingStore;
import io.edgeloop.server.retraining.StoredDecision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * V6 and the retraining SQL on PostgreSQL 15: a policy set over REST, an evaluation reading drift
 * telemetry, the registry and the capture counts, its decision listed; the store's decision
 * updates and lookups and a training set's lineage rows.
 */
class RetrainingPostgresIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresServer postgres;

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

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
    void policiesDecisionsAndLineageRowsOnPostgres() throws Exception {
        FleetServerOptions options = FleetServerOptions.embedded(dir.resolve("server"), 0, 0)
                .withDatabase(postgres.jdbcUrl(), PostgresServer.USER, "");
        try (FleetServer server = FleetServer.start(options, FleetServer.Plugins.defaults())) {
            String base = "http://localhost:" + server.httpPort() + "/api/v1";
            String admin = Files.readString(dir.resolve("server").resolve(AdminTokenFile.FILE_NAME)).strip();
            long now = System.currentTimeMillis();
            DriftReport r = new DriftReport("cam-1", Instant.ofEpochMilli(now), 1, new ModelRef("pg", "1.0.0", "fp32"),
                    Instant.ofEpochMilli(now - 60_000), Instant.ofEpochMilli(now), 200, List.of(),
                    new OutputDrift(0.4, 0.001, true), 0.3, null, true, 0.005);
            try (Connection c = server.database().connect();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO telemetry (device_id, stream, seq, ts_ms,"
                         + " model_name, model_version, drifted, payload, ingested_by, received_ms) VALUES ('cam-1', 'drift',"
                         + " 1, ?, 'pg', '1.0.0', TRUE, ?, 'test', ?)")) {
                ps.setLong(1, now);
                ps.setString(2, new String(new MessageCodec().encode(r), StandardCharsets.UTF_8));
                ps.setLong(3, now);
                ps.executeUpdate();
            }

            HttpResponse<String> put = send(base + "/retraining/policies/pg", admin, "PUT",
                    Map.of("minDriftedDevices", 1, "cooldown", "PT5M", "rollout", Map.of("target", Map.of("group", "g"))));
            assertEquals(200, put.statusCode(), put.body());
            assertEquals("PT5M", JSON.readTree(put.body()).get("cooldown").asText());
            // V8: setting a policy (again: the insert skips the existing row on PostgreSQL) gives the model its
            // free retraining lease.
            assertEquals(200, send(base + "/retraining/policies/pg", admin, "PUT", ((ObjectNode) JSON.readTree(put.body()))
                    .without(List.of("model", "updatedAt", "updatedBy"))).statusCode());
            server.database().transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT owner, expires_ms, epoch FROM retraining_leases"
                        + " WHERE model_name = 'pg'"); java.sql.ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "a lease row for pg");
                    assertEquals(null, rs.getString(1));
                    assertEquals(0, rs.getLong(2));
                    assertEquals(0, rs.getLong(3));
                    assertTrue(!rs.next(), "one lease row for pg");
                }
                return null;
            });
            HttpResponse<String> bad = send(base + "/retraining/policies/pg", admin, "PUT", Map.of("minLabel", 3));
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("minLabel"), bad.body());

            JsonNode decision = JSON.readTree(send(base + "/retraining/pg/evaluate", admin, "POST", Map.of()).body());
            assertEquals("WAIT", decision.get("action").asText(), decision.toString());
            assertTrue(decision.get("blockers").toString().contains("productionVersion"), decision.toString());
            assertEquals(1, decision.get("figures").get("reportingDevices").asInt(), decision.toString());
            JsonNode listed = JSON.readTree(send(base + "/retraining/decisions?model=pg", admin, "GET", null).body());
            assertEquals(decision.get("id").asText(), listed.get(0).get("id").asText());
            assertEquals(404, send(base + "/models/pg/versions/1/lineage", admin, "GET", null).statusCode());

            RetrainingStore store = new RetrainingStore(server.database());
            ObjectNode empty = JSON.createObjectNode();
            StoredDecision d = new StoredDecision("d-pg", "pg", now + 1, false, "RETRAIN", DecisionState.TRAINING, "test",
                    List.of("because"), List.of(), empty, empty, 1, null, null, null, null, null, null, "queued", null, now);
            server.database().transaction(c -> {
                store.insert(c, d, "replica-1");
                store.update(c, "d-pg", now + 2, Map.of("run_id", "run-1", "candidate_version", 2, "package_name", "pg",
                        "package_version", "2.0.0", "gate", empty, "state", DecisionState.ROLLING_OUT));
                store.insertTrainingSet(c, new RetrainingStore.TrainingSet("run-1", "d-pg", "pg", null, "ab".repeat(32),
                        empty, empty, now, List.of(new RetrainingStore.CaptureUse("cam-1", "train", List.of(5L, 9L)),
                        new RetrainingStore.CaptureUse("cam-1", "holdout", List.of(7L)))));
                store.setTrainingSetVersion(c, "run-1", 2);
                return null;
            });
            server.database().transaction(c -> {
                assertEquals("d-pg", store.running(c).orElseThrow().id());
                assertEquals("d-pg", store.lastRetraining(c, "pg").orElseThrow().id());
                assertEquals("d-pg", store.byPackage(c, "pg", "2.0.0").orElseThrow().id());
                assertEquals("d-pg", store.producing(c, "pg", 2).orElseThrow().id());
                assertEquals(1, store.inState(c, DecisionState.ROLLING_OUT).size());
                RetrainingStore.TrainingSet t = store.trainingSet(c, "run-1").orElseThrow();
                assertEquals(2, t.modelVersion());
                assertEquals(List.of(7L), t.captures().get(0).ids());
                assertEquals(List.of(5L, 9L), t.captures().get(1).ids());
                assertEquals(List.of(), store.rollouts(c, "pg", "2.0.0"));
                return null;
            });
        }
    }

    private HttpResponse<String> send(String url, String token, String method, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
