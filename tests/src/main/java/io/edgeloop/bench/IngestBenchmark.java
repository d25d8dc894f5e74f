package io.edgeloop.bench;

import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.agent.link.LinkOptions;
import io.edgeloop.bench.fleet.FleetAccounts;
import io.edgeloop.bench.fleet.LightAgent;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.bench.fleet.PostgresProcess;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.topic.TopicFilters;
import io.edgeloop.server.broker.MosquittoFiles;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.ingest.FleetMqtt;
import io.edgeloop.server.ingest.FleetMqttOptions;
import io.edgeloop.server.ingest.IngestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Telemetry ingest through a real Mosquitto: {@code --agents} light agents (real RocksDB outbox and
 * {@code FleetLink}, no models) each holding {@code --messages} health reports, sent as fast as
 * the link's window allows. Measured, each on a fresh broker: the broker alone (the same
 * publishers to a bare QoS 1 subscriber on the same shared subscription, storing nothing), then
 * the server's ingest storing into H2, then into PostgreSQL 15 (when installed). Figures are
 * messages per second from the links' start to the last message received or stored.
 *
 * <p>{@code tests/bench IngestBenchmark [--agents 50] [--messages 2000] [--skip-pg]}
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int agents = intArg(args, "--agents", 50);
        int messages = intArg(args, "--messages", 2000);
        boolean pg = !List.of(args).contains("--skip-pg") && PostgresProcess.available();
        if (!MosquittoProcess.available()) {
            System.err.println("IngestBenchmark needs Mosquitto at " + MosquittoProcess.BINARY);
            System.exit(2);
        }
        Path root = Files.createTempDirectory("ingest-bench");
        long total = (long) agents * messages;
        System.out.printf("ingest benchmark: %d agents x %d health messages = %d, QoS 1 through Mosquitto, %d CPUs%n",
                agents, messages, total, Runtime.getRuntime().availableProcessors());
        try {
            double alone = run(root.resolve("alone"), agents, messages, Sink.BROKER_ALONE, null);
            System.out.printf("  broker alone (bare subscriber):  %,10.0f msg/s%n", alone);
            double h2 = run(root.resolve("h2"), agents, messages, Sink.H2, null);
            System.out.printf("  stored, H2:                      %,10.0f msg/s  (%.2fx broker alone)%n", h2, h2 / alone);
            if (pg) {
                try (PostgresProcess postgres = PostgresProcess.start(root.resolve("pg"))) {
                    double p = run(root.resolve("pg-run"), agents, messages, Sink.POSTGRES, postgres);
                    System.out.printf("  stored, PostgreSQL 15:           %,10.0f msg/s  (%.2fx broker alone)%n", p, p / alone);
                }
            } else {
                System.out.println("  stored, PostgreSQL: skipped (--skip-pg or no /usr/lib/postgresql/15)");
            }
            System.out.println("  goals: >= 10,000 msg/s stored on H2 and PostgreSQL, and >= 0.5x the broker alone");
        } finally {
            delete(root);
        }
    }

    enum Sink { BROKER_ALONE, H2, POSTGRES }

    private static double run(Path dir, int agents, int messages, Sink sink, PostgresProcess postgres) throws Exception {
        FleetAccounts accounts = new FleetAccounts();
        Path passwordFile = dir.resolve("server.password");
        ServerMqttLogin login = ServerMqttLogin.loadOrCreate(passwordFile);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        MessageCodec codec = new MessageCodec();
        List<LightAgent> fleet = new ArrayList<>();
        try (MosquittoProcess mosquitto = new MosquittoProcess(dir.resolve("mosquitto"))) {
            LinkOptions link = LinkOptions.DEFAULTS.withMaxInFlight(256);
            for (int i = 0; i < agents; i++) {
                FleetCredentials c = accounts.issue("bench-" + i, "tcp://127.0.0.1:" + mosquitto.port());
                LightAgent a = new LightAgent(dir.resolve("agent-" + i), c, link, scheduler, codec);
                for (int m = 0; m < messages; m++) {
                    a.health();
                }
                fleet.add(a);
            }
            new MosquittoFiles(mosquitto.filesDir(), null).write(login.account(), accounts.activeAccounts());
            mosquitto.start();
            long total = (long) agents * messages;
            if (sink == Sink.BROKER_ALONE) {
                AtomicLong received = new AtomicLong();
                MqttAsyncClient bare = new MqttAsyncClient(mosquitto.url(), "bench-bare-subscriber", new MemoryPersistence());
                MqttConnectOptions o = new MqttConnectOptions();
                o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
                o.setCleanSession(false);
                o.setUserName(login.username());
                o.setPassword(login.passwordChars());
                bare.connect(o).waitForCompletion(10_000);
                bare.subscribe(TopicFilters.shared(IngestOptions.DEFAULT_SHARED_GROUP, TopicFilters.ALL_TELEMETRY), 1,
                        (topic, message) -> received.incrementAndGet()).waitForCompletion(10_000);
                double rate = measure(fleet, received::get, total);
                bare.disconnect().waitForCompletion(5_000);
                bare.close();
                return rate;
            }
            String url = sink == Sink.H2 ? "jdbc:h2:file:" + dir.resolve("db").resolve("edgeloop") : postgres.jdbcUrl();
            try (Database db = Database.of(url, sink == Sink.H2 ? "sa" : postgres.user(), "");
                 FleetMqtt mqtt = FleetMqtt.start(FleetMqttOptions.external(dir, mosquitto.url(), null, null)
                         .withServerPasswordFile(passwordFile), db, accounts, accounts)) {
                return measure(fleet, () -> mqtt.ingest().counters().stored(), total);
            }
        } finally {
            fleet.forEach(LightAgent::close);
            scheduler.shutdownNow();
        }
    }

    /** Starts every link and waits until {@code done} reaches {@code total}; messages per second. */
    private static double measure(List<LightAgent> fleet, LongSupplier done, long total) throws InterruptedException {
        long t0 = System.nanoTime();
        fleet.forEach(LightAgent::start);
        long deadline = t0 + 600_000_000_000L;
        while (done.getAsLong() < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + done.getAsLong() + " of " + total + " after 10 minutes");
            }
            Thread.sleep(20);
        }
        return total / ((System.nanoTime() - t0) / 1e9);
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
