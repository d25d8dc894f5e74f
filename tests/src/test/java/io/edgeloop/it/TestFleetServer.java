package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.bench.fleet.FleetAccounts;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.server.broker.MosquittoFiles;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.ingest.FleetMqtt;
import io.edgeloop.server.ingest.FleetMqttOptions;
import io.edgeloop.server.telemetry.DeviceStates;
import io.edgeloop.server.telemetry.TelemetryQueries;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The server's MQTT half in this JVM for the fleet ITs: database, broker (embedded Moquette or the
 * given Mosquitto, whose files it maintains), ingest, the telemetry routes, and an enrolment
 * endpoint with the REST shape of the server's ({@code POST /api/v1/enrol}) backed by
 * {@link FleetAccounts}.
 */
final class TestFleetServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Database db;
    final FleetMqtt mqtt;
    final FleetAccounts accounts;
    final TelemetryQueries telemetry;
    final DeviceStates states;
    private final Vertx vertx;
    private final HttpServer http;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Path dir;

    private TestFleetServer(Path dir, Database db, FleetMqtt mqtt, FleetAccounts accounts, Vertx vertx, HttpServer http) {
        this.dir = dir;
        this.db = db;
        this.mqtt = mqtt;
        this.accounts = accounts;
        this.telemetry = new TelemetryQueries(db);
        this.states = new DeviceStates(db);
        this.vertx = vertx;
        this.http = http;
    }

    /** Starts on the embedded broker ({@code mosquitto} null) or with {@code mosquitto}, which it starts. */
    static TestFleetServer start(Path dir, MosquittoProcess mosquitto) throws Exception {
        FleetAccounts accounts = new FleetAccounts();
        Database db = Database.embedded(dir.resolve("db"));
        FleetMqttOptions options = mosquitto == null ? FleetMqttOptions.embedded(dir, 0)
                : FleetMqttOptions.external(dir, mosquitto.url(), mosquitto.filesDir(), mosquitto.pidFile());
        if (mosquitto != null) {
            // Mosquitto needs its files before it starts; the server rewrites them from then on.
            new MosquittoFiles(mosquitto.filesDir(), null).write(
                    ServerMqttLogin.loadOrCreate(options.serverPasswordFile()).account(), accounts.activeAccounts());
            mosquitto.start();
        }
        FleetMqtt mqtt = FleetMqtt.start(options, db, accounts, accounts);
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/api/v1/*").handler(BodyHandler.create());
        TestFleetServer[] self = new TestFleetServer[1];
        router.post("/api/v1/enrol").handler(ctx -> {
            JsonNode body;
            try {
                body = JSON.readTree(ctx.body().asString());
            } catch (Exception e) {
                ctx.response().setStatusCode(400).end("{\"error\":\"not JSON\",\"code\":\"INVALID_ARGUMENT\"}");
                return;
            }
            String id = body.path("deviceId").asText();
            String token = body.path("enrolToken").asText();
            if (!token.equals(self[0].tokens.remove(id))) {
                ctx.response().setStatusCode(403).end("{\"error\":\"unknown or used enrolment token\",\"code\":\"INVALID_ARGUMENT\"}");
                return;
            }
            FleetCredentials c = accounts.issue(id, mqtt.url());
            mqtt.credentialsChanged(id, false);
            ctx.response().putHeader("Content-Type", "application/json").end(JSON.createObjectNode()
                    .put("deviceId", c.deviceId()).put("mqttUrl", c.mqttUrl()).put("mqttUsername", c.mqttUsername())
                    .put("mqttPassword", c.mqttPassword()).toString());
        });
        HttpServer http = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        self[0] = new TestFleetServer(dir, db, mqtt, accounts, vertx, http);
        return self[0];
    }

    /** A one-time enrolment token for {@code deviceId}. */
    String enrolToken(String deviceId) {
        String token = UUID.randomUUID().toString();
        tokens.put(deviceId, token);
        return token;
    }

    /** Revokes the device: the broker cuts it off and refuses it from now on. */
    void revoke(String deviceId) {
        accounts.revoke(deviceId);
        mqtt.credentialsChanged(deviceId, true);
    }

    /** The server's own broker password file. */
    Path passwordFile() {
        return dir.resolve(ServerMqttLogin.DEFAULT_FILE);
    }

    String httpUrl() {
        return "http://127.0.0.1:" + http.actualPort();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        mqtt.close();
        db.close();
    }
}
