package io.edgeloop.it;

import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.agent.link.LinkOptions;
import io.edgeloop.bench.fleet.FleetAccounts;
import io.edgeloop.bench.fleet.LightAgent;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.server.telemetry.TelemetryQueries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Light agents (real outbox and link, no models) producing telemetry at a steady rate, and the
 * check the fault ITs end with: per device and stream, messages produced == messages stored.
 */
final class LightFleet implements AutoCloseable {
    final List<LightAgent> agents = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final AtomicBoolean producing = new AtomicBoolean();
    private final Map<String, long[]> produced = new HashMap<>();
    private Thread producer;
    private boolean closed;

    LightFleet(Path dir, FleetAccounts accounts, String mqttUrl, String prefix, int n) throws EdgeLoopException {
        this(dir, java.util.stream.IntStream.range(0, n).mapToObj(i -> accounts.issue(prefix + "-" + i, mqttUrl)).toList());
    }

    /** Agents with the logins a real server handed out at enrolment. */
    LightFleet(Path dir, List<FleetCredentials> logins) throws EdgeLoopException {
        MessageCodec codec = new MessageCodec();
        LinkOptions options = LinkOptions.DEFAULTS.withMaxReconnectDelay(Duration.ofSeconds(2));
        for (FleetCredentials c : logins) {
            agents.add(new LightAgent(dir.resolve(c.deviceId()), c, options, scheduler, codec));
            produced.put(c.deviceId(), new long[2]);
        }
    }

    LightFleet start() {
        agents.forEach(LightAgent::start);
        return this;
    }

    /** Every agent appends a health report every {@code periodMillis}, and a drift report every fifth. */
    void produce(long periodMillis) {
        producing.set(true);
        producer = new Thread(() -> {
            long round = 0;
            while (producing.get()) {
                try {
                    for (LightAgent a : agents) {
                        long[] p = produced.get(a.deviceId());
                        synchronized (p) {
                            p[0] = a.health();
                            if (round % 5 == 0) {
                                p[1] = a.drift(round % 10 == 0);
                            }
                        }
                    }
                    round++;
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                } catch (EdgeLoopException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "light-fleet-producer");
        producer.start();
    }

    void stopProducing() throws InterruptedException {
        producing.set(false);
        producer.join(10_000);
    }

    LightAgent agent(String deviceId) {
        return agents.stream().filter(a -> a.deviceId().equals(deviceId)).findFirst().orElseThrow();
    }

    long producedTotal() {
        return produced.values().stream().mapToLong(p -> p[0] + p[1]).sum();
    }

    int pending() {
        return agents.stream().mapToInt(LightAgent::pending).sum();
    }

    /**
     * Differences between produced and stored, per device and stream; empty when every message is
     * stored exactly once (seq 1..produced, each once).
     */
    List<String> mismatches(TelemetryQueries queries) throws EdgeLoopException {
        Map<String, long[]> stored = new HashMap<>();
        for (Object[] row : queries.countsByDevice()) {
            long[] s = stored.computeIfAbsent(row[0] + "/" + row[1], k -> new long[2]);
            s[0] += (Long) row[3];
            s[1] += (Long) row[4];
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : produced.entrySet()) {
            String[] streams = {"health", "drift"};
            for (int i = 0; i < 2; i++) {
                long want = e.getValue()[i];
                long[] got = stored.getOrDefault(e.getKey() + "/" + streams[i], new long[2]);
                if (got[0] != want || got[1] != want) {
                    out.add(e.getKey() + "/" + streams[i] + ": produced " + want + ", stored " + got[0] + " rows with "
                            + got[1] + " distinct seqs");
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        producing.set(false);
        if (producer != null) {
            producer.join(10_000);
        }
        agents.forEach(LightAgent::close);
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
