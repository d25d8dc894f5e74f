package io.edgeloop.it;

import io.edgeloop.bench.fleet.FleetAccounts;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.ingest.FleetMqtt;
import io.edgeloop.server.ingest.FleetMqttOptions;
import io.edgeloop.server.telemetry.DeviceStates;
import io.edgeloop.server.telemetry.TelemetryQueries;
import io.edgeloop.server.api.TelemetryRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server replica's ingest as its own process, for the kill and replica ITs: database, ingest
 * from an external broker (shared subscription, persistent session), and the telemetry routes.
 * Args: {@code JDBC_URL USER PASSWORD MQTT_URL REPLICA_ID SERVER_PASSWORD_FILE DATA_DIR}. Prints
 * {@code ingest ready on port N} when subscribed.
 */
public final class IngestServerMain {
    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[6]);
        FleetMqttOptions options = FleetMqttOptions.external(dataDir, args[3], null, null).withReplicaId(args[4])
                .withServerPasswordFile(Path.of(args[5]));
        Database db = Database.of(args[0], args[1], args[2]);
        FleetMqtt mqtt = FleetMqtt.start(options, db, new FleetAccounts(), new FleetAccounts());
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        TelemetryRoutes routes = new TelemetryRoutes(new TelemetryQueries(db), new DeviceStates(db),
                () -> mqtt.ingest().counters());
        // The counters of GET /api/v1/ingest, without the server's token check.
        router.get("/api/v1/ingest").handler(ctx -> ctx.vertx().executeBlocking(routes::ingest, false)
                .onSuccess(body -> ctx.response().putHeader("Content-Type", "application/json").end(body.toString()))
                .onFailure(ctx::fail));
        HttpServer http = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                mqtt.close();
                db.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stop.countDown();
        }));
        System.out.println("ingest ready on port " + http.actualPort());
        System.out.flush();
        stop.await();
    }
}
