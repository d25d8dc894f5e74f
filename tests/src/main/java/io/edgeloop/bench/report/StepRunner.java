package io.edgeloop.bench.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one step as a child process in the repository root, one at a time: stdout and stderr go
 * to their own log files, stdout is kept for the figures and shown as it comes (stderr too for
 * steps whose progress is there), and a line every half minute says it is still running. Child
 * JVMs and scripts get the section's own temporary folder ({@code java.io.tmpdir}, {@code TMPDIR})
 * and never rebuild the jars mid-run. A step that runs past the timeout is stopped with the
 * processes it started.
 */
public final class StepRunner {
    private static final long HEARTBEAT_MILLIS = 30_000;

    private final Path root;
    private final Path logs;
    private final int timeoutSeconds;
    private final PrintStream console;

    public StepRunner(Path root, Path logs, int timeoutSeconds, PrintStream console) {
        this.root = root;
        this.logs = logs;
        this.timeoutSeconds = timeoutSeconds;
        this.console = console;
    }

    public StepResult run(String section, Step step, Path tmp) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Files.createDirectories(tmp);
        Path out = logs.resolve(section + "." + step.name() + ".out.txt");
        Path err = logs.resolve(section + "." + step.name() + ".err.txt");
        List<String> command = new ArrayList<>(step.command());
        if (command.get(0).contains("/") && !Path.of(command.get(0)).isAbsolute()) {
            command.set(0, root.resolve(command.get(0)).toString());
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        Map<String, String> env = pb.environment();
        String javaOpts = env.getOrDefault("JAVA_OPTS", "");
        env.put("JAVA_OPTS", (javaOpts + " -Djava.io.tmpdir=" + tmp).strip());
        env.put("TMPDIR", tmp.toString());
        env.put("EDGELOOP_NO_BUILD", "1");
        String load = Machine.loadAverage();
        Instant started = Instant.now();
        console.printf("  $ %s   (load average %s)%n", step.display(), load);
        long t0 = System.nanoTime();
        Process process = pb.start();
        process.getOutputStream().close();
        AtomicLong lastShown = new AtomicLong(System.nanoTime());
        List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        Thread o = copy(process.getInputStream(), out, stdout, true, lastShown);
        Thread e = copy(process.getErrorStream(), err, null, step.progressOnStderr(), lastShown);
        boolean finished = false;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!finished && System.nanoTime() < deadline) {
            finished = process.waitFor(1, TimeUnit.SECONDS);
            if (!finished && System.nanoTime() - lastShown.get() > TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS)) {
                console.printf("    ... still running, %.0f s (load average %s)%n", (System.nanoTime() - t0) / 1e9,
                        Machine.loadAverage());
                lastShown.set(System.nanoTime());
            }
        }
        if (!finished) {
            console.printf("    timed out after %d s: stopping it and the processes it started%n", timeoutSeconds);
            stop(process);
        }
        o.join(10_000);
        e.join(10_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int exit = finished ? process.exitValue() : -1;
        console.printf("    %s in %.0f s%n", finished ? "exit " + exit : "timed out", seconds);
        return new StepResult(step, exit, !finished, seconds, load, started, List.copyOf(stdout), out, err);
    }

    /** Stops the step's process tree: the descendants first, so none is left orphaned. */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Thread copy(InputStream in, Path log, List<String> keep, boolean show, AtomicLong lastShown) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                 Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.write(line);
                    w.write('\n');
                    w.flush();
                    if (keep != null) {
                        keep.add(line);
                    }
                    if (show) {
                        console.println("    | " + line);
                        lastShown.set(System.nanoTime());
                    }
                }
            } catch (IOException ex) {
                console.println("    (reading the step's output failed: " + ex.getMessage() + ")");
            }
        }, "step-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
