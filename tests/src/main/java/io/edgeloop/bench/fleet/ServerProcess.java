package io.edgeloop.bench.fleet;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code edgeloop server} as a separate process on free ports (what a benchmark measures apart
 * from the simulator's CPU): the embedded broker and H2 in its data folder, trusting the given
 * publisher key. Ready when its REST API answers the admin token it wrote.
 */
public final class ServerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final int httpPort;
    private final int mqttPort;
    private final String adminToken;
    private final Path log;

    private ServerProcess(Process process, int httpPort, int mqttPort, String adminToken, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.mqttPort = mqttPort;
        this.adminToken = adminToken;
        this.log = log;
    }

    /** Starts the server with this JVM's classpath; {@code extraArgs} follow the defaults. */
    public static ServerProcess start(Path dataDir, Path trustedKey, List<String> jvmOptions, List<String> extraArgs)
            throws Exception {
        Files.createDirectories(dataDir);
        int http = freePort();
        int mqtt = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.edgeloop.server.ServerMain", "server",
                "--http-port", String.valueOf(http), "--mqtt-port", String.valueOf(mqtt), "--data-dir", dataDir.toString(),
                "--trusted-key", trustedKey.toString()));
        cmd.addAll(extraArgs);
        Path log = dataDir.resolve("server.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path tokenFile = dataDir.resolve("admin.token");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the server exited with " + p.exitValue() + ": " + tail(log));
            }
            if (Files.exists(tokenFile)) {
                String token = Files.readString(tokenFile).strip();
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                            + "/api/v1/devices")).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return new ServerProcess(p, http, mqtt, token, log);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new IOException("the server did not answer within 90 s: " + tail(log));
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int mqttPort() {
        return mqttPort;
    }

    public String adminToken() {
        return adminToken;
    }

    public long pid() {
        return process.pid();
    }

    /** User plus system CPU seconds the process used so far (from /proc). */
    public double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    /** User plus system CPU seconds of process {@code pid} so far, at the usual 100 ticks per second. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    public String logTail() {
        return tail(log);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
