package io.edgeloop.bench.fleet;

import io.edgeloop.server.broker.MosquittoFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto 2 broker process for tests and benchmarks: its own folder with
 * {@code mosquitto.conf}, the password and ACL files the server writes ({@link MosquittoFiles}),
 * persistence (so the server's persistent session and its queued messages survive a broker
 * restart), and a pid file for reload signals. Listens on a free port on 127.0.0.1 and keeps that
 * port across {@link #stop()} / {@link #start()}.
 *
 * <p>Queues are raised from Mosquitto's defaults: 1,000 queued messages per offline client would
 * drop telemetry while a server is down, and 20 in flight would throttle ingest to 20 messages
 * per database commit.
 */
public final class MosquittoProcess implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private Process process;

    public MosquittoProcess(Path dir) throws IOException {
        this(dir, true);
    }

    /**
     * @param persistence whether the broker keeps sessions, queued messages and retained messages
     *     across its restarts (saved every second); a benchmark that never restarts it goes without,
     *     since Mosquitto rewrites its whole store on each save
     */
    public MosquittoProcess(Path dir, boolean persistence) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("files"));
        Files.createDirectories(dir.resolve("data"));
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        String conf = String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + filesDir().resolve(MosquittoFiles.PASSWORD_FILE),
                "acl_file " + filesDir().resolve(MosquittoFiles.ACL_FILE),
                "persistence " + persistence,
                "persistence_location " + dir.resolve("data") + "/",
                "autosave_interval 1",
                "pid_file " + pidFile(),
                "max_queued_messages 1000000",
                "max_inflight_messages 10000",
                "max_keepalive 120",
                // Mosquitto started as root drops to user mosquitto, which cannot write this folder.
                "user " + System.getProperty("user.name"),
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "");
        Files.writeString(dir.resolve("mosquitto.conf"), conf);
    }

    /** Whether this machine has Mosquitto. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Where the server writes {@code passwd} and {@code acl}; both must exist before {@link #start()}. */
    public Path filesDir() {
        return dir.resolve("files");
    }

    public Path pidFile() {
        return dir.resolve("mosquitto.pid");
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the broker and waits until it accepts connections. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + "; see " + dir.resolve("mosquitto.log")
                        + ": " + (Files.exists(dir.resolve("mosquitto.log")) ? Files.readString(dir.resolve("mosquitto.log")) : ""));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not listen on " + port + " within 15 s");
    }

    /** Stops the broker (SIGTERM: it saves its persistence file first) and waits for it. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The last lines of the broker's log. */
    public String logTail() {
        try {
            java.util.List<String> lines = Files.readAllLines(dir.resolve("mosquitto.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The broker's process id, for signals. */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
