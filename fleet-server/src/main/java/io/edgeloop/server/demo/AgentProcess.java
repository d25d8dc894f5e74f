package io.edgeloop.server.demo;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.process.AgentCommandLine;
import io.edgeloop.protocol.process.AgentReadyLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An edge agent the demo runs as its own process, with the command line of {@code ./edgeloop
 * agent} ({@link AgentCommandLine}: the agent jar, {@code edge-agent/target/lib} and the agent's
 * {@code jvm.options}). The server never links against the agent: it learns the port from the
 * ready line and talks HTTP. The agent's log (stderr) goes to a file.
 */
final class AgentProcess implements AutoCloseable {
    static final long READY_TIMEOUT_SECONDS = 120;
    static final long STOP_TIMEOUT_SECONDS = 30;

    private final Process process;
    private final int port;
    private final long readyMillis;

    private AgentProcess(Process process, int port, long readyMillis) {
        this.process = process;
        this.port = port;
        this.readyMillis = readyMillis;
    }

    /**
     * Starts {@code agent <agentArgs>} from the checkout at {@code root} and waits for its ready line.
     *
     * @param started gets the process the moment it exists, so a caller stopping everything
     *                (Ctrl-C) also stops an agent that is not ready yet
     */
    static AgentProcess start(Path root, List<String> agentArgs, Path log, java.util.function.Consumer<Process> started)
            throws EdgeLoopException, IOException, InterruptedException {
        Path jar = root.resolve(AgentCommandLine.AGENT_JAR);
        if (!Files.isRegularFile(jar) || !Files.isDirectory(root.resolve(AgentCommandLine.AGENT_LIB))) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the edge agent is not built in " + root
                    + " (no " + jar + " or its lib/); build with 'mvn -B -DskipTests package'");
        }
        List<String> jvmOptions = AgentCommandLine.parseJvmOptions(
                Files.readAllLines(root.resolve(AgentCommandLine.JVM_OPTIONS_FILE)));
        List<String> command = AgentCommandLine.command(Path.of(System.getProperty("java.home"), "bin", "java"),
                jvmOptions, AgentCommandLine.classpath(root), agentArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(AgentCommandLine.ENVIRONMENT);
        // The configuration is the written file and the arguments: overrides from the caller's shell would bypass it.
        builder.environment().keySet().removeIf(name -> name.startsWith("EDGELOOP_AGENT_"));
        long t0 = System.nanoTime();
        Process process = builder.start();
        started.accept(process);
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<OptionalInt> ready = CompletableFuture.supplyAsync(() -> readyPort(stdout));
        OptionalInt port;
        try {
            port = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            port = OptionalInt.empty();
        }
        if (port.isEmpty()) {
            process.destroyForcibly().waitFor();
            throw new EdgeLoopException(ErrorCode.INTERNAL, "the edge agent did not become ready; its log:\n" + tail(log));
        }
        drain(stdout);
        return new AgentProcess(process, port.getAsInt(), (System.nanoTime() - t0) / 1_000_000);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Milliseconds from starting the process to its ready line. */
    long readyMillis() {
        return readyMillis;
    }

    /** SIGTERM, as a user's Ctrl-C or systemd stops it: the agent drains in-flight requests and exits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static OptionalInt readyPort(BufferedReader stdout) {
        try {
            String line;
            while ((line = stdout.readLine()) != null) {
                OptionalInt port = AgentReadyLine.parse(line);
                if (port.isPresent()) {
                    return port;
                }
            }
        } catch (IOException e) {
            // The process ended before it was ready; the caller reports its log.
        }
        return OptionalInt.empty();
    }

    /** Keeps reading stdout so the agent never blocks on a full pipe. */
    private static void drain(BufferedReader stdout) {
        Thread drain = new Thread(() -> {
            try {
                while (stdout.readLine() != null) {
                    // the agent prints nothing else on stdout
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "agent-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    static String tail(Path log) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(log));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
