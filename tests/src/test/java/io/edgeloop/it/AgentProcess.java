package io.edgeloop.it;

import io.edgeloop.agent.config.AgentConfigFile;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.protocol.process.AgentCommandLine;
import io.edgeloop.protocol.process.AgentReadyLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An edge agent running as a real process ({@code java ... AgentMain agent ...}), for the
 * cross-process tests and the benchmark. It is ready when it prints its port on stdout; its log
 * (stderr) goes to a file beside the data directory.
 */
public final class AgentProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final long startMillis;
    private final Path log;

    private AgentProcess(Process process, int port, long startMillis, Path log) {
        this.process = process;
        this.port = port;
        this.startMillis = startMillis;
        this.log = log;
    }

    /**
     * The agent's runtime classpath: the edge-agent jar and its target/lib when built (what
     * install.sh ships), else this JVM's classpath.
     */
    public static String classpath() {
        Path root = checkoutRoot();
        if (Files.isRegularFile(root.resolve(AgentCommandLine.AGENT_JAR)) && Files.isDirectory(root.resolve(AgentCommandLine.AGENT_LIB))) {
            return AgentCommandLine.classpath(root);
        }
        return System.getProperty("java.class.path");
    }

    /** Tests run in the {@code tests} module's folder; the checkout root is its parent. */
    private static Path checkoutRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /** A test agent's settings in {@code dataDir}: loopback, a free port, the generic x86-64 profile. */
    public static AgentOptions options(Path dataDir) {
        return AgentOptions.DEFAULT.withDataDir(dataDir).withProfile("generic-x86_64")
                .withHttp(http -> http.withHost("127.0.0.1").withPort(0));
    }

    /**
     * Starts an agent with {@code options} (written to an {@code agent.yaml} beside its data
     * directory and passed with {@code --config}) and {@code args} after {@code agent}; waits
     * until ready.
     */
    public static AgentProcess start(AgentOptions options, List<String> args, List<String> jvmOptions) throws Exception {
        Path dataDir = options.dataDir();
        Files.createDirectories(dataDir);
        Path config = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + "-agent.yaml"),
                AgentConfigFile.write(options));
        List<String> agentArgs = new ArrayList<>(List.of("--config", config.toString()));
        agentArgs.addAll(args);
        List<String> cmd = AgentCommandLine.command(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions,
                classpath(), agentArgs);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-agent.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The written file is the whole configuration: overrides from the caller's shell would bypass it.
        pb.environment().keySet().removeIf(name -> name.startsWith("EDGELOOP_AGENT_"));
        pb.environment().putAll(AgentCommandLine.ENVIRONMENT);
        long t0 = System.nanoTime();
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    OptionalInt port = AgentReadyLine.parse(line);
                    if (port.isPresent()) {
                        return port.getAsInt();
                    }
                }
            } catch (IOException e) {
                // fall through: the process ended
            }
            return -1;
        });
        Integer port;
        try {
            port = ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            port = -1;
        }
        if (port < 0) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("the agent did not become ready; log:\n" + tail(log));
        }
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        // Keep draining stdout so the agent never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "agent-stdout");
        drain.setDaemon(true);
        drain.start();
        return new AgentProcess(p, port, startMillis, log);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Milliseconds from process start to the "ready" line. */
    public long startMillis() {
        return startMillis;
    }

    public String logTail() {
        return tail(log);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit code (the agent drains in-flight requests first). */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** A KServe v2 infer body for {@code rows} samples of {@code x} from {@code from}. */
    public static String inferBody(String id, float[] x, int from, int rows, long... sampleShape) {
        StringBuilder b = new StringBuilder(rows * PIXEL_CHARS);
        b.append("{");
        if (id != null) {
            b.append("\"id\":\"").append(id).append("\",");
        }
        b.append("\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[").append(rows);
        int width = 1;
        for (long d : sampleShape) {
            b.append(',').append(d);
            width *= (int) d;
        }
        b.append("],\"data\":[");
        for (int i = from * width; i < (from + rows) * width; i++) {
            if (i > from * width) {
                b.append(',');
            }
            b.append(x[i]);
        }
        return b.append("]}]}").toString();
    }

    private static final int PIXEL_CHARS = 784 * 6;
}
