package io.edgeloop.bench;

import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.agent.link.LinkOptions;
import io.edgeloop.bench.fleet.FleetAccounts;
import io.edgeloop.bench.fleet.LightAgent;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.bench.fleet.PostgresProcess;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.topic.TopicFilters;
import io.edgeloop.protocol.topic.Topics;
import io.edgeloop.server.broker.MosquittoFiles;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.ingest.FleetMqtt;
import io.edgeloop.server.ingest.FleetMqttOptions;
import io.edgeloop.server.ingest.IngestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Telemetry ingest through a real Mosquitto, in messages per second. {@code --agents} light agents
 * (the agent's real telemetry path: a RocksDB outbox sent by a real {@code FleetLink} with its
 * per-device login, no models) each hold {@code --messages} health reports, which they send as
 * fast as the link's window allows once started. Each phase gets a fresh broker and fresh agents:
 * the broker alone (the same publishers to a bare Paho QoS 1 subscriber on the ingest's shared
 * subscription, storing nothing, which announces itself on the ingest's presence topic as the
 * server does), then the server's ingest ({@code FleetMqtt}, as
 * {@code edgeloop server --mqtt-url} runs it) storing into H2, then into PostgreSQL 15 when its
 * binaries are installed. A rate is messages over the time from starting the links to the last
 * message received (broker alone) or committed (stored). After each stored phase the table is
 * counted: every (device, seq) once, as many rows as were published.
 *
 * <p>{@code tests/bench IngestBenchmark [--agents 50] [--messages 2000] [--window 256] [--skip-pg]}
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int agents = intArg(args, "--agents", 50);
        int messages = intArg(args, "--messages", 2000);
        int window = intArg(args, "--window", 256);
        boolean skipPg = List.of(args).contains("--skip-pg");
        if (!MosquittoProcess.available()) {
            System.err.println("IngestBenchmark needs Mosquitto at " + MosquittoProcess.BINARY);
            System.exit(2);
        }
        Path root = Files.createTempDirectory("ingest-bench");
        long total = (long) agents * messages;
        System.out.printf("IngestBenchmark: %d agents x %d health messages = %d, QoS 1 through Mosquitto (outbox window %d"
                + " per agent), %d CPUs%n", agents, messages, total, window, Runtime.getRuntime().availableProcessors());
        List<String[]> table = new ArrayList<>();
        boolean exact = true;
        try {
            Result alone = run(root.resolve("alone"), agents, messages, window, null, null);
            table.add(alone.row("broker alone (bare subscriber)", alone.seconds));
            Result h2 = run(root.resolve("h2"), agents, messages, window, "jdbc:h2:file:" + root.resolve("h2")
                    .resolve("db").resolve("edgeloop") + ";AUTO_SERVER=FALSE;WRITE_DELAY=0", null); // as Database.embedded
            table.add(h2.row("stored, H2", alone.seconds));
            exact &= h2.exact;
            if (skipPg) {
                table.add(new String[] {"stored, PostgreSQL 15", "skipped (--skip-pg)", "", "", ""});
            } else if (!PostgresProcess.available()) {
                table.add(new String[] {"stored, PostgreSQL 15", "skipped: no " + PostgresProcess.BIN + "/initdb", "", "", ""});
            } else {
                try (PostgresProcess postgres = PostgresProcess.start(root.resolve("pg"))) {
                    Result pg = run(root.resolve("pg-run"), agents, messages, window, postgres.jdbcUrl(), postgres.user());
                    table.add(pg.row("stored, PostgreSQL 15", alone.seconds));
                    exact &= pg.exact;
                }
            }
        } finally {
            delete(root);
        }
        String format = "%-32s %12s %9s %10s %9s%n";
        System.out.printf(format, "backend", "messages", "seconds", "msg/s", "ratio");
        for (String[] row : table) {
            System.out.printf(format, (Object[]) row);
        }
        System.out.println("ratio: the broker-alone time over this row's time. Goals: >= 10,000 msg/s stored on H2 and"
                + " PostgreSQL, >= 0.5x the broker alone.");
        System.out.println(exact ? "exactly once: every published message stored once (rows == published, one per"
                + " (device, seq))" : "EXACTLY-ONCE CHECK FAILED (see above)");
        if (!exact) {
            System.exit(1);
        }
    }

    /** One phase: messages done, seconds taken, and (stored phases) whether the table holds each exactly once. */
    record Result(long messages, double seconds, boolean exact) {
        String[] row(String name, double aloneSeconds) {
            return new String[] {name, String.format("%,d", messages), String.format("%.2f", seconds),
                    String.format("%,.0f", messages / seconds), String.format("%.2fx", aloneSeconds / seconds)};
        }
    }

    /** A phase on a fresh broker; {@code jdbcUrl} null measures the broker alone. */
    private static Result run(Path dir, int agents, int messages, int window, String jdbcUrl, String pgUser)
            throws Exception {
        FleetAccounts accounts = new FleetAccounts();
        Path passwordFile = dir.resolve("server.password");
        Files.createDirectories(dir);
        ServerMqttLogin login = ServerMqttLogin.loadOrCreate(passwordFile);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        MessageCodec codec = new MessageCodec();
        List<LightAgent> fleet = new ArrayList<>();
        // No persistence: nothing here outlives the broker, and Mosquitto writes its whole store on every autosave.
        try (MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"), false)) {
            LinkOptions link = LinkOptions.DEFAULTS.withMaxInFlight(window);
            for (int i = 0; i < agents; i++) {
                FleetCredentials c = accounts.issue("bench-" + i, mosquitto.url());
                LightAgent a = new LightAgent(dir.resolve("agent-" + i), c, link, scheduler, codec);
                for (int m = 0; m < messages; m++) {
                    a.health();
                }
                fleet.add(a);
            }
            new MosquittoFiles(mosquitto.filesDir(), null).write(login.account(), accounts.activeAccounts());
            mosquitto.start();
            long total = (long) agents * messages;
            if (jdbcUrl == null) {
                AtomicLong received = new AtomicLong();
                MqttAsyncClient bare = new MqttAsyncClient(mosquitto.url(), "edgeloop-bench-bare", new MemoryPersistence());
                MqttConnectOptions o = new MqttConnectOptions();
                o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
                o.setCleanSession(false);
                o.setUserName(login.username());
                o.setPassword(login.passwordChars());
                bare.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {
                        System.err.println("bare subscriber lost its connection: " + cause);
                    }

                    @Override
                    public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                        if (topic.endsWith("/telemetry/health")) {
                            received.incrementAndGet();
                        } else if (topic.endsWith("/birth") && !message.isRetained()) {
                            announce(bare); // as the ingest does: agents send once they hear it
                        }
                    }

                    @Override
                    public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                    }
                });
                bare.connect(o).waitForCompletion(10_000);
                bare.subscribe(TopicFilters.sharedServer(IngestOptions.DEFAULT_SHARED_GROUP).toArray(String[]::new),
                        new int[] {1, 1, 1, 1}).waitForCompletion(10_000);
                announce(bare);
                double seconds = measure(fleet, received::get, total, mosquitto);
                closeAll(fleet);
                bare.disconnect().waitForCompletion(5_000);
                bare.close();
                return new Result(total, seconds, true);
            }
            try (Database db = Database.of(jdbcUrl, pgUser == null ? "sa" : pgUser, "");
                 FleetMqtt mqtt = FleetMqtt.start(FleetMqttOptions.external(dir, mosquitto.url(), null, null)
                         .withServerPasswordFile(passwordFile), db, accounts, accounts)) {
                double seconds = measure(fleet, () -> mqtt.ingest().counters().stored(), total, mosquitto);
                closeAll(fleet);
                return new Result(total, seconds, checkExactlyOnce(db, total));
            }
        } finally {
            closeAll(fleet);
            scheduler.shutdownNow();
        }
    }

    /** What the server's ingest publishes once subscribed and on each birth: agents wait for it. */
    private static void announce(MqttAsyncClient client) {
        try {
            client.publish(Topics.INGEST_PRESENCE, "{\"schema\":\"edgeloop.ingest/1\",\"replica\":\"bench\"}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, false);
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            System.err.println("presence not sent: " + e);
        }
    }

    /** Closes the agents before the broker goes, so that their links say goodbye instead of losing it. */
    private static void closeAll(List<LightAgent> fleet) {
        fleet.forEach(LightAgent::close);
        fleet.clear();
    }

    /** Starts every link and waits until {@code done} reaches {@code total}; the seconds it took. */
    private static double measure(List<LightAgent> fleet, LongSupplier done, long total, MosquittoProcess mosquitto)
            throws InterruptedException {
        long t0 = System.nanoTime();
        fleet.forEach(LightAgent::start);
        long lastProgress = t0;
        long last = 0;
        while (done.getAsLong() < total) {
            long now = System.nanoTime();
            long d = done.getAsLong();
            if (d != last) {
                last = d;
                lastProgress = now;
            } else if (now - lastProgress > 60_000_000_000L) {
                throw new IllegalStateException("stalled at " + d + " of " + total + " for 60 s; agents still holding "
                        + fleet.stream().mapToInt(LightAgent::pending).sum() + "; broker log:\n" + mosquitto.logTail());
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Rows == published and one row per (device, stream, seq); prints what differs. */
    private static boolean checkExactlyOnce(Database db, long published) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT device_id || '/' || stream || '/' || seq)"
                     + " FROM telemetry")) {
            r.next();
            long rows = r.getLong(1);
            long distinct = r.getLong(2);
            if (rows != published || distinct != published) {
                System.out.printf("  published %d, stored %d rows, %d distinct (device, stream, seq)%n", published, rows,
                        distinct);
                return false;
            }
            return true;
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static void delete(Path root) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
