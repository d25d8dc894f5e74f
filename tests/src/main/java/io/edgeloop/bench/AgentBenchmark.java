package io.edgeloop.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.ort.ServingSessionOptions;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.agent.config.AgentConfigFile;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.GraphBuilder;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.protocol.process.AgentCommandLine;
import io.edgeloop.protocol.process.AgentReadyLine;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The agent's serving cost, side by side in one run, for a Fashion-MNIST MLP and CNN: raw
 * in-process ONNX Runtime {@code session.run} against the agent's KServe v2 HTTP path (a real
 * agent process), single-request p50/p99; 16 concurrent clients with dynamic batching
 * (inferences/s); resident memory after 100,000 requests; start-to-ready time.
 *
 * <p>Run: {@code tests/bench AgentBenchmark [--requests N] [--seconds S] [--threads T] [--warmup S] [--rows R] [--binary]
 * [--models mlp,cnn] [--rss-requests N]} from the repository root after {@code mvn package}. Both sides use the same
 * intra-op thread count. The CNN's agent is topped up to {@code --rss-requests} (default 100,000) before its resident
 * memory is read; a smoke run passes fewer.
 */
public final class AgentBenchmark {
    static final String MODEL_NAME = "fashion";
    static final int CLIENTS = 16;
    /** Resident memory is read again this long after the load: the agent trims its native heap every second. */
    static final long RSS_SETTLE_MILLIS = 3000;

    public static void main(String[] args) throws Exception {
        int requests = intArg(args, "--requests", 3000);
        int seconds = intArg(args, "--seconds", 10);
        int threads = intArg(args, "--threads", 1);
        int warmup = intArg(args, "--warmup", 10);
        // Images per request (inferences/s = requests/s x rows) and the binary tensor data extension.
        int batchRows = intArg(args, "--rows", 1);
        boolean binary = List.of(args).contains("--binary");
        int rssRequests = intArg(args, "--rss-requests", 100_000);
        Path work = Files.createTempDirectory("agent-bench");
        Dataset test = TestImages.testSet().head(100);
        System.out.printf("AgentBenchmark: %d CPUs, intra-op threads %d, %d single requests per side, %d s concurrent, "
                        + "%d image(s) per request, %s bodies%n", Runtime.getRuntime().availableProcessors(), threads,
                requests, seconds, batchRows, binary ? "binary tensor data" : "JSON");
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-5s %10s %10s %10s %10s %10s %12s %9s %11s %10s", "model", "raw p50us", "raw p99us",
                "http p50us", "http p99us", "delta p50", "infer/s 16cl", "first ms", "restart ms", "RSS MB"));
        for (String name : stringArg(args, "--models", "mlp,cnn").split(",")) {
            OnnxModel model = name.equals("mlp") ? mlp() : cnn();
            Path file = work.resolve(name + ".onnx");
            model.save(file);
            long[] sample = name.equals("mlp") ? new long[]{1, 784} : new long[]{1, 1, 28, 28};
            double[] raw = raw(file, test, sample, requests, threads);
            rows.add(agentSide(name, file, work, test, sample, requests, seconds, warmup, threads, batchRows, binary,
                    raw, rssRequests));
        }
        System.out.println();
        rows.forEach(System.out::println);
    }

    private static String stringArg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }

    private static int intArg(String[] args, String name, int def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return def;
    }

    /** Raw in-process ORT: create the input tensor, session.run, read the output; p50 and p99 in microseconds. */
    static double[] raw(Path file, Dataset test, long[] shape, int n, int threads) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        // The agent's session settings (no spinning, no arena), so the delta is the HTTP path alone.
        try (OrtSession.SessionOptions so = ServingSessionOptions.create(threads)) {
            try (OrtSession session = env.createSession(file.toString(), so)) {
                Histogram h = new Histogram(3);
                float[] x = new float[784];
                for (int i = 0; i < n + 500; i++) {
                    System.arraycopy(test.features(), (i % 100) * 784, x, 0, 784);
                    long t = System.nanoTime();
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                         OrtSession.Result r = session.run(java.util.Map.of("input", in))) {
                        ((OnnxTensor) r.get(0)).getFloatBuffer();
                    }
                    if (i >= 500) {
                        h.recordValue((System.nanoTime() - t) / 1000);
                    }
                }
                return new double[]{h.getValueAtPercentile(50), h.getValueAtPercentile(99)};
            }
        }
    }

    /** A started agent process and the port it announced. */
    private record Started(Process process, int port, long readyMs) {
    }

    private static Started startAgent(String name, Path pkg, Path publicKey, Path work, int threads, String cdsOption)
            throws Exception {
        Path root = Path.of("").toAbsolutePath();
        // The launchers' JVM options and environment (edge-agent/src/main/dist/jvm.options).
        List<String> jvmOptions = new ArrayList<>(AgentCommandLine.parseJvmOptions(
                Files.readAllLines(root.resolve(AgentCommandLine.JVM_OPTIONS_FILE))));
        jvmOptions.add(cdsOption);
        // Extra agent JVM options, e.g. a flight recording: EDGELOOP_BENCH_AGENT_OPTS="-XX:StartFlightRecording=..."
        String extra = System.getenv("EDGELOOP_BENCH_AGENT_OPTS");
        if (extra != null && !extra.isBlank()) {
            jvmOptions.addAll(List.of(extra.trim().split("\\s+")));
        }
        AgentOptions options = AgentOptions.DEFAULT.withDataDir(work.resolve("data-" + name)).withPublicKey(publicKey)
                .withHttp(http -> http.withHost("127.0.0.1").withPort(0)).withEngine(e -> e.withIntraOpThreads(threads));
        Path config = Files.writeString(work.resolve(name + "-agent.yaml"), AgentConfigFile.write(options));
        List<String> cmd = AgentCommandLine.command(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions,
                AgentCommandLine.classpath(root), List.of("--config", config.toString(), "--package", pkg.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(
                work.resolve(name + "-agent.log").toFile()));
        // The written file is the whole configuration: overrides from the caller's shell would bypass it.
        pb.environment().keySet().removeIf(n -> n.startsWith("EDGELOOP_AGENT_"));
        pb.environment().putAll(AgentCommandLine.ENVIRONMENT);
        long t0 = System.nanoTime();
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            OptionalInt port = AgentReadyLine.parse(line);
            if (port.isPresent()) {
                return new Started(p, port.getAsInt(), (System.nanoTime() - t0) / 1_000_000);
            }
        }
        throw new IllegalStateException("agent did not start; see " + work.resolve(name + "-agent.log"));
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    /**
     * First start (fresh data directory: installs the package, unpacks native libraries, no class
     * archive yet), then a restart on the same directory with the class archive, as a device reboots; the restarted agent is warmed up with
     * the concurrent load for {@code warmup} seconds (its JIT compiles the request path) and then
     * measured.
     */
    private static String agentSide(String name, Path modelFile, Path work, Dataset test, long[] sample, int n,
                                    int seconds, int warmup, int threads, int rows, boolean binary, double[] raw,
                                    int rssRequests) throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(work.resolve(name + "-keys"));
        Path pkg = TestPackages.signedPackage(work.resolve(name), OnnxModel.load(modelFile), MODEL_NAME, "1.0.0", keys);
        // As the launchers do: the first run archives the classes it loaded when it stops, later starts map them.
        Path archive = work.resolve(name + "-agent.jsa");
        Started first = startAgent(name, pkg, keys.publicKey(), work, threads, "-XX:ArchiveClassesAtExit=" + archive);
        stop(first.process());
        Started agent = startAgent(name, pkg, keys.publicKey(), work, threads, "-XX:SharedArchiveFile=" + archive);
        try {
            List<HttpLoad.Body> bodies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                bodies.add(body(test.features(), i, sample, rows, binary));
            }
            HttpLoad load = new HttpLoad("127.0.0.1", agent.port(), "/v2/models/" + MODEL_NAME + "/infer", bodies);
            long sent = load.closedLoop(CLIENTS, warmup).requests();
            Histogram h = load.sequential(100, n);
            sent += 100L + n;
            HttpLoad.Throughput concurrent = load.closedLoop(CLIENTS, seconds);
            sent += concurrent.requests();
            if (name.equals("cnn")) {
                // Top up to --rss-requests (100,000) requests before reading resident memory.
                while (sent < rssRequests) {
                    sent += load.closedLoop(CLIENTS, 5).requests();
                }
            }
            long rssAtOnce = rss(agent.process().pid());
            Thread.sleep(RSS_SETTLE_MILLIS);
            long rss = rss(agent.process().pid());
            System.out.printf("%s: %d requests sent; %d clients: p50 %d us, p99 %d us; RSS %.1f MB right after the load, "
                            + "%.1f MB %d s later; agent log %s%n", name, sent, CLIENTS,
                    concurrent.latency().getValueAtPercentile(50), concurrent.latency().getValueAtPercentile(99),
                    rssAtOnce / 1048576.0, rss / 1048576.0, RSS_SETTLE_MILLIS / 1000, work.resolve(name + "-agent.log"));
            return String.format("%-5s %10.0f %10.0f %10d %10d %10.0f %12.0f %9d %11d %10.1f", name, raw[0], raw[1],
                    h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(50) - raw[0],
                    concurrent.perSecond() * rows, first.readyMs(), agent.readyMs(), rss / 1048576.0);
        } finally {
            stop(agent.process());
        }
    }

    /**
     * A request of {@code rows} test images from {@code first}: JSON numbers, or with {@code binary}
     * the binary tensor data extension (little-endian floats after a JSON header).
     */
    private static HttpLoad.Body body(float[] x, int first, long[] sample, int rows, boolean binary) {
        int n = x.length / 784;
        StringBuilder b = new StringBuilder(784 * 8 * rows).append("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[");
        b.append(rows);
        for (int i = 1; i < sample.length; i++) {
            b.append(',').append(sample[i]);
        }
        if (binary) {
            ByteBuffer data = ByteBuffer.allocate(rows * 784 * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < rows; r++) {
                data.asFloatBuffer().position(r * 784).put(x, ((first + r) % n) * 784, 784);
            }
            byte[] head = b.append("],\"parameters\":{\"binary_data_size\":").append(data.capacity()).append("}}]}")
                    .toString().getBytes(StandardCharsets.UTF_8);
            byte[] body = Arrays.copyOf(head, head.length + data.capacity());
            System.arraycopy(data.array(), 0, body, head.length, data.capacity());
            return new HttpLoad.Body(body, head.length);
        }
        b.append("],\"data\":[");
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < 784; i++) {
                b.append(r == 0 && i == 0 ? "" : ",").append(x[((first + r) % n) * 784 + i]);
            }
        }
        return new HttpLoad.Body(b.append("]}]}").toString().getBytes(StandardCharsets.UTF_8), -1);
    }

    static long rss(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.substring(6).trim().split("\\s+")[0]) * 1024;
            }
        }
        return -1;
    }

    /** Fashion-MNIST-shaped MLP 784-256-128-10 (the reference architecture), seeded weights. */
    static OnnxModel mlp() {
        SplittableRandom r = new SplittableRandom(1);
        GraphBuilder g = new GraphBuilder("mlp", 13);
        String h = g.input("input", -1, 784);
        int[] sizes = {784, 256, 128, 10};
        for (int l = 0; l < 3; l++) {
            h = g.gemm(h, g.weight("w" + l, TestModels.uniform(r, sizes[l + 1] * sizes[l], 0.05), sizes[l + 1], sizes[l]),
                    g.weight("b" + l, new float[sizes[l + 1]], sizes[l + 1]), true);
            h = l < 2 ? g.relu(h) : g.softmax(h, 1);
        }
        g.output(h, "probabilities", -1, 10);
        return g.toModel();
    }

    /** The CNN that {@code edgeloop train --model cnn} builds: conv32-pool-conv64-pool-fc128-fc10, seeded weights. */
    static OnnxModel cnn() {
        SplittableRandom r = new SplittableRandom(2);
        GraphBuilder g = new GraphBuilder("cnn", 13);
        String x = g.input("input", -1, 1, 28, 28);
        String a = g.maxPool(g.relu(g.conv(x, g.weight("c1", TestModels.uniform(r, 32 * 9, 0.3), 32, 1, 3, 3),
                g.weight("c1b", new float[32], 32), 3, 1, 1)), 2, 2);
        String b = g.maxPool(g.relu(g.conv(a, g.weight("c2", TestModels.uniform(r, 64 * 32 * 9, 0.1), 64, 32, 3, 3),
                g.weight("c2b", new float[64], 64), 3, 1, 1)), 2, 2);
        String f = g.relu(g.gemm(g.flatten(b, 1), g.weight("f1", TestModels.uniform(r, 128 * 3136, 0.03), 128, 3136),
                g.weight("f1b", new float[128], 128), true));
        String out = g.softmax(g.gemm(f, g.weight("f2", TestModels.uniform(r, 10 * 128, 0.1), 10, 128),
                g.weight("f2b", new float[10], 10), true), 1);
        g.output(out, "probabilities", -1, 10);
        return g.toModel();
    }
}
