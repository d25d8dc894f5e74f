package io.edgeloop.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What this process still holds of closed agents: open and mapped files, agent threads (Linux /proc). */
public final class OpenResources {
    private OpenResources() {
    }

    /** Files under {@code root} that this process holds open. */
    public static List<String> filesUnder(Path root) throws IOException {
        List<String> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(root.toString())) {
                        open.add(target);
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return open;
    }

    /**
     * Files under {@code root} mapped into this process, but for the native libraries: the first
     * agent unpacks them into its {@code native/} directory and they stay loaded for the process.
     */
    public static List<String> mappedUnder(Path root) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(root.toString()))
                .filter(l -> !l.contains("/native/")).toList();
    }

    /** Threads an agent starts (batch workers, housekeeping, WAL sync), still alive. */
    public static List<String> agentThreads() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith("batcher-") || n.startsWith("agent-housekeeping") || n.startsWith("rocksdb-wal-sync"))
                    .sorted().toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return left;
    }
}
