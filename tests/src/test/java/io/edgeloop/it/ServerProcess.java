package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.link.FleetCredentials;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code edgeloop server} process, its output in a log file, ready when it prints its
 * listening line (on a free HTTP port); killed with SIGKILL or stopped with SIGTERM. Started either
 * through the repository's launcher ({@link #start(Path, Path, List, String)}: the jars the build
 * made, {@code EDGELOOP_NO_BUILD=1}; the launcher {@code exec}s java, so signals reach the server
 * itself), then talking to its REST API with the admin token of its data folder (or one handed
 * over from the replica that wrote it); or as {@code ServerMain server …} on this JVM's class path
 * ({@link #start(Path, List)}).
 */
final class ServerProcess implements AutoCloseable {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)/api/v1");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    final int port;
    final Path log;
    private final String token;

    private ServerProcess(Process process, int port, Path log, String token) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.token = token;
    }

    /**
     * Starts {@code edgeloop server --http-port 0 --data-dir DATA_DIR ARGS} and waits for it to listen.
     *
     * @param adminToken the token to call it with, or null to read {@code DATA_DIR/admin.token}
     */
    static ServerProcess start(Path log, Path dataDir, List<String> args, String adminToken) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("edgeloop").toString(), "server", "--http-port", "0",
                "--data-dir", dataDir.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("EDGELOOP_NO_BUILD", "1");
        pb.environment().put("JAVA_OPTS", "-Xmx384m");
        return started(pb, log, dataDir, adminToken);
    }

    private static ServerProcess started(ProcessBuilder pb, Path log, Path dataDir, String adminToken) throws Exception {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = pb.start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintStream file = new PrintStream(Files.newOutputStream(log, java.nio.file.StandardOpenOption.CREATE,
                         java.nio.file.StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
                String line;
                while ((line = out.readLine()) != null) {
                    file.println(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ready.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
            ready.complete(-1);
        }, "server-log-" + log.getFileName());
        pump.setDaemon(true);
        pump.start();
        int port = ready.get(120, TimeUnit.SECONDS);
        if (port < 0) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("edgeloop server did not start; see " + log + ":\n" + tail(log));
        }
        String token = adminToken != null || dataDir == null ? adminToken
                : Files.readString(dataDir.resolve("admin.token")).strip();
        return new ServerProcess(p, port, log, token);
    }

    /**
     * A replica on {@code mosquitto}: {@code --mqtt-url}, the broker's files folder and pid file (the
     * replica rewrites them from the database and signals the broker), and its replica id. The
     * first replica of a broker also starts it, with the server's login in its files.
     */
    static ServerProcess onMosquitto(Path log, Path dataDir, io.edgeloop.bench.fleet.MosquittoProcess mosquitto,
                                     String replicaId, List<String> more, String adminToken) throws Exception {
        Files.createDirectories(dataDir);
        Path password = dataDir.resolve(io.edgeloop.server.broker.ServerMqttLogin.DEFAULT_FILE);
        if (!mosquitto.isRunning()) {
            new io.edgeloop.server.broker.MosquittoFiles(mosquitto.filesDir(), null).write(
                    io.edgeloop.server.broker.ServerMqttLogin.loadOrCreate(password).account(), List.of());
            mosquitto.start();
        }
        List<String> args = new ArrayList<>(List.of("--mqtt-url", mosquitto.url(), "--mosquitto-dir",
                mosquitto.filesDir().toString(), "--mosquitto-pid-file", mosquitto.pidFile().toString(),
                "--replica-id", replicaId));
        args.addAll(more);
        return start(log, dataDir, args, adminToken);
    }

    String adminToken() {
        return token;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Registers {@code deviceId} and enrols it: the device's MQTT login as an agent gets it. */
    FleetCredentials enrol(String deviceId) throws Exception {
        JsonNode reg = call("POST", "/api/v1/devices", Map.of("deviceId", deviceId), 201);
        JsonNode c = call("POST", "/api/v1/enrol", Map.of("deviceId", deviceId,
                "enrolToken", reg.get("enrolToken").asText()), 200);
        return new FleetCredentials(deviceId, c.get("mqttUrl").asText(), c.get("mqttUsername").asText(),
                c.get("mqttPassword").asText());
    }

    /** Revokes {@code deviceId}. */
    void revoke(String deviceId) throws Exception {
        call("POST", "/api/v1/devices/" + deviceId + "/revoke", Map.of(), 200);
    }

    /** {@code GET /api/v1/ingest}: this replica's counters and the stored total of all. */
    JsonNode ingest() throws Exception {
        return call("GET", "/api/v1/ingest", null, 200);
    }

    long storedInAll() {
        try {
            return ingest().get("storedInAll").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    JsonNode call(String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    /** The last lines of the server's log. */
    String logTail() {
        return tail(log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and wait for the server to close. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
