package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An {@link IngestServerMain} process: started, asked for its counters, killed with SIGKILL or stopped. */
final class IngestProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final int port;
    private final Path log;

    private IngestProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The last lines of the process's log. */
    String logTail() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static IngestProcess start(Path log, String jdbcUrl, String user, String password, String mqttUrl, String replica,
                               Path serverPasswordFile, Path dataDir) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), IngestServerMain.class.getName(), jdbcUrl, user, password,
                mqttUrl, replica, serverPasswordFile.toString(), dataDir.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ingest ready on port ")) {
                        return Integer.parseInt(line.substring("ingest ready on port ".length()).trim());
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
            return -1;
        });
        int port = ready.get(90, TimeUnit.SECONDS);
        if (port < 0) {
            p.destroyForcibly();
            throw new IllegalStateException("the ingest process " + replica + " did not start; see " + log);
        }
        return new IngestProcess(p, port, log);
    }

    /** {@code GET /api/v1/ingest}: this replica's counters and the stored total. */
    JsonNode stats() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/ingest"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    long storedInAll() {
        try {
            return stats().get("storedInAll").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
