package io.edgeloop.server.demo;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet server the demo runs as its own process, as a user runs it: {@code ./edgeloop server
 * --http-port 0 --mqtt-port 0 --data-dir DIR ARGS} through the checkout's launcher (which
 * {@code exec}s java, so the pid is the server's). Ready when it prints its listening line; its
 * output goes to a log file; the admin token is the one its first start wrote into the data folder.
 */
final class ServerProcess implements AutoCloseable {
    static final long READY_TIMEOUT_SECONDS = 180;
    static final long STOP_TIMEOUT_SECONDS = 30;
    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)/api/v1");

    private final Process process;
    private final int port;
    private final String adminToken;

    private ServerProcess(Process process, int port, String adminToken) {
        this.process = process;
        this.port = port;
        this.adminToken = adminToken;
    }

    /** @param started gets the process the moment it exists, so Ctrl-C during the start stops it too */
    static ServerProcess start(Path root, Path dataDir, List<String> args, Path log,
                               java.util.function.Consumer<Process> started)
            throws EdgeLoopException, IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("edgeloop").toString(), "server",
                "--http-port", "0", "--mqtt-port", "0", "--data-dir", dataDir.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("EDGELOOP_NO_BUILD", "1");
        Process process = builder.start();
        started.accept(process);
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, log, ready), "demo-server-log");
        pump.setDaemon(true);
        pump.start();
        int port;
        try {
            port = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            port = -1;
        }
        if (port < 0) {
            process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new EdgeLoopException(ErrorCode.INTERNAL, "the fleet server did not start; its log (" + log + "):\n"
                    + AgentProcess.tail(log));
        }
        String token = Files.readString(dataDir.resolve("admin.token")).strip();
        return new ServerProcess(process, port, token);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String adminToken() {
        return adminToken;
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM: the server closes its broker, database and listeners; SIGKILL if it does not end in time. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static void pump(Process process, Path log, CompletableFuture<Integer> ready) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintStream file = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                file.println(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    ready.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        ready.complete(-1);
    }
}
