package io.edgeloop.bench;

import io.edgeloop.agent.buffer.AgentDb;
import io.edgeloop.agent.buffer.BufferOptions;
import io.edgeloop.agent.buffer.CaptureBuffer;
import io.edgeloop.agent.buffer.SyncPolicy;
import io.edgeloop.bench.capture.RawCaptureStore;
import io.edgeloop.bench.capture.TimedPuts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the agent's capture buffer costs over bare RocksDB puts, at the same sync policy: for each
 * {@link SyncPolicy} and record size, puts of the same bytes into real RocksDB files, one thread,
 * each run on a fresh database. The raw side puts the exact value the capture buffer stored for the
 * same capture (read back from a probe database) under the same key layout (priority byte,
 * big-endian sequence), into a database the agent created and reopened with the options RocksDB
 * persisted for it ({@link RawCaptureStore}); the buffer side calls {@link CaptureBuffer#append}
 * as the agent's inference path does (encoding, bookkeeping, quota check). Runs of the two sides
 * alternate, so a burst of other work on the machine hits both alike. The quota is set above what
 * a run writes: no eviction is measured.
 *
 * <p>Run: {@code tests/bench CaptureBufferBenchmark [--policies ALWAYS,INTERVAL,NEVER]
 * [--floats 784,12288,150528] [--seconds 4] [--rounds 2] [--warmup-seconds 0.5] [--max-mb 256]
 * [--sync-interval-ms 1000] [--dir DIR]}. {@code --floats} is the captured input's length
 * (784: a 28x28 Fashion-MNIST image; 12288: 64x64x3; 150528: 224x224x3), plus 10 output scores.
 * {@code --seconds} is per side, policy and size, split over the rounds; {@code --max-mb} caps the
 * bytes of one run. The database folder's file system decides what a sync costs: it is printed.
 */
public final class CaptureBufferBenchmark {
    static final int PRIORITY = 1;
    static final long NO_EVICTION = Long.MAX_VALUE / 4;
    private static final int IDS = 4096;

    private CaptureBufferBenchmark() {
    }

    record Setup(List<SyncPolicy> policies, List<Integer> floats, double seconds, int rounds, double warmupSeconds,
                 long maxBytes, long syncIntervalMillis, Path dir) {
        static Setup parse(String[] args) {
            List<SyncPolicy> policies = new ArrayList<>();
            for (String p : arg(args, "--policies", "ALWAYS,INTERVAL,NEVER").split(",")) {
                policies.add(SyncPolicy.valueOf(p.strip().toUpperCase(Locale.ROOT)));
            }
            List<Integer> floats = new ArrayList<>();
            for (String f : arg(args, "--floats", "784,12288,150528").split(",")) {
                floats.add(Integer.parseInt(f.strip()));
            }
            String dir = arg(args, "--dir", "");
            return new Setup(policies, floats, Double.parseDouble(arg(args, "--seconds", "4")),
                    Math.max(1, Integer.parseInt(arg(args, "--rounds", "2"))),
                    Double.parseDouble(arg(args, "--warmup-seconds", "0.5")),
                    Long.parseLong(arg(args, "--max-mb", "256")) * 1024 * 1024,
                    Long.parseLong(arg(args, "--sync-interval-ms", String.valueOf(BufferOptions.DEFAULT_SYNC_INTERVAL_MILLIS))),
                    dir.isEmpty() ? null : Path.of(dir));
        }
    }

    public static void main(String[] args) throws Exception {
        Setup setup = Setup.parse(args);
        Path root = setup.dir() != null ? Files.createDirectories(setup.dir()) : Files.createTempDirectory("capture-bench");
        System.out.printf(Locale.ROOT, "CaptureBufferBenchmark: %d CPUs, RocksDB files in %s (file system %s); %.1f s per"
                        + " side, policy and size in %d alternating rounds; WAL sync interval %d ms under INTERVAL; one writer"
                        + " thread; no eviction%n", Runtime.getRuntime().availableProcessors(), root,
                Files.getFileStore(root).type(), setup.seconds(), setup.rounds(), setup.syncIntervalMillis());
        List<String> table = new ArrayList<>();
        table.add(String.format("%-8s %7s %9s %-6s %9s %8s %10s %8s %9s %9s %10s", "policy", "floats", "record B",
                "side", "records", "seconds", "records/s", "MB/s", "p50 us", "p99 us", "buffer/raw"));
        try {
            for (SyncPolicy policy : setup.policies()) {
                BufferOptions options = BufferOptions.DEFAULT.withSync(policy).withSyncIntervalMillis(setup.syncIntervalMillis())
                        .withCaptureQuotaBytes(NO_EVICTION);
                for (int floats : setup.floats()) {
                    table.addAll(compare(root.resolve(policy + "-" + floats), options, floats, setup));
                    System.out.printf("  %s, %d floats done%n", policy, floats);
                }
            }
        } finally {
            if (setup.dir() == null) {
                delete(root);
            }
        }
        System.out.println();
        table.forEach(System.out::println);
        System.out.println("record B: key + value as stored; MB/s: 10^6 bytes of records per second; p50/p99: one put;"
                + " buffer/raw: records/s of the capture buffer over raw puts");
    }

    /** Both sides at one policy and size; the two table rows. */
    static List<String> compare(Path dir, BufferOptions options, int floats, Setup setup) throws Exception {
        SplittableRandom random = new SplittableRandom(floats);
        float[] input = new float[floats];
        for (int i = 0; i < floats; i++) {
            input[i] = (float) random.nextDouble();
        }
        float[] output = new float[10];
        for (int i = 0; i < output.length; i++) {
            output[i] = (float) random.nextDouble() / 10;
        }
        String[] ids = new String[IDS];
        for (int i = 0; i < IDS; i++) {
            ids[i] = new UUID(random.nextLong(), random.nextLong()).toString();
        }
        Path probe = dir.resolve("probe");
        try (AgentDb db = new AgentDb(probe, options)) {
            new CaptureBuffer(db, System::currentTimeMillis).append(PRIORITY, ids[0], "fashion", "1.0.0", 3, input, output);
        }
        byte[] value = RawCaptureStore.firstCaptureValue(probe, options);
        long recordBytes = 9L + value.length;
        long cap = Math.max(1, setup.maxBytes() / recordBytes);
        TimedPuts.Put[] sides = new TimedPuts.Put[2];
        TimedPuts.Tally[] tallies = {new TimedPuts.Tally(), new TimedPuts.Tally()};
        int runs = 0;
        for (int round = -1; round < setup.rounds(); round++) {
            double seconds = round < 0 ? setup.warmupSeconds() : setup.seconds() / setup.rounds();
            for (int side = 0; side < 2; side++) {
                Path runDir = dir.resolve("run-" + runs++);
                TimedPuts.Tally t = side == 0 ? rawRun(runDir, options, value, seconds, cap)
                        : bufferRun(runDir, options, ids, input, output, seconds, cap);
                if (round >= 0) {
                    tallies[side].add(t);
                }
                delete(runDir);
            }
        }
        delete(dir);
        double ratio = tallies[1].perSecond() / tallies[0].perSecond();
        return List.of(row(options.sync(), floats, recordBytes, "raw", tallies[0], ""),
                row(options.sync(), floats, recordBytes, "buffer", tallies[1], String.format(Locale.ROOT, "%.2fx", ratio)));
    }

    static TimedPuts.Tally rawRun(Path dir, BufferOptions options, byte[] value, double seconds, long cap) throws Exception {
        try (RawCaptureStore store = RawCaptureStore.create(dir, options)) {
            return TimedPuts.run(i -> store.put(key(PRIORITY, i), value), seconds, cap);
        }
    }

    static TimedPuts.Tally bufferRun(Path dir, BufferOptions options, String[] ids, float[] input, float[] output,
                                     double seconds, long cap) throws Exception {
        try (AgentDb db = new AgentDb(dir, options)) {
            CaptureBuffer buffer = new CaptureBuffer(db, System::currentTimeMillis);
            return TimedPuts.run(i -> buffer.append(PRIORITY, ids[(int) (i % IDS)], "fashion", "1.0.0", 3, input, output),
                    seconds, cap);
        }
    }

    /** The capture buffer's key layout: the priority byte, then the big-endian sequence number. */
    static byte[] key(int priority, long seq) {
        byte[] key = new byte[9];
        key[0] = (byte) priority;
        for (int i = 0; i < 8; i++) {
            key[1 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return key;
    }

    private static String row(SyncPolicy policy, int floats, long recordBytes, String side, TimedPuts.Tally t, String ratio) {
        return String.format(Locale.ROOT, "%-8s %7d %9d %-6s %9d %8.2f %10.0f %8.1f %9.1f %9.1f %10s", policy, floats,
                recordBytes, side, t.records(), t.seconds(), t.perSecond(), t.perSecond() * recordBytes / 1e6,
                t.percentileMicros(50), t.percentileMicros(99), ratio);
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
