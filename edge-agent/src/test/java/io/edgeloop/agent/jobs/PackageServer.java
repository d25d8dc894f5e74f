package io.edgeloop.agent.jobs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package server for job tests on an ephemeral loopback port: serves files with
 * {@code Range: bytes=N-} (206 + Content-Range), counts the bytes it wrote to the socket, records
 * each request's range, and can stall a transfer after a given number of bytes until released.
 */
final class PackageServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final int PIECE = 4096;

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "package-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final AtomicLong bytesSent = new AtomicLong();
    private final List<Long> rangeStarts = new CopyOnWriteArrayList<>();
    private volatile long stallAfter = -1;
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile boolean dropStalled;
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long pieceDelayMillis;
    private final CountDownLatch stalled = new CountDownLatch(1);

    PackageServer() throws IOException {
        // Responses go out as written (no Nagle wait against the client's delayed ACK per chunk request).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code file} at {@code /packages/NAME}; returns its URL. */
    String serve(String name, Path file) {
        files.put("/packages/" + name, file);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/packages/" + name;
    }

    /** The next transfer stops after this many bytes of the file (counted from byte 0) until {@link #release()}. */
    void stallAfter(long byteOffset) {
        stallAfter = byteOffset;
        release = new CountDownLatch(1);
    }

    void release() {
        stallAfter = -1;
        release.countDown();
    }

    /**
     * Ends the stalled transfer without sending more (its client is gone: what a dead agent's
     * socket would not have received is not counted as sent).
     */
    void dropStalled() {
        dropStalled = true;
        release();
    }

    /** The next {@code n} requests answer 503 (a server restarting behind its load balancer). */
    void failNext(int n) {
        failures.set(n);
    }

    /** Sleeps this long after each 4 KiB piece (a slow link). */
    void throttle(long millisPerPiece) {
        pieceDelayMillis = millisPerPiece;
    }

    /** Waits until a transfer reached the stall point. */
    boolean awaitStalled(long seconds) throws InterruptedException {
        return stalled.await(seconds, TimeUnit.SECONDS);
    }

    long bytesSent() {
        return bytesSent.get();
    }

    /** How many GETs asked for bytes from {@code start}. */
    long requestsFrom(long start) {
        return rangeStarts.stream().filter(s -> s == start).count();
    }

    /** The first byte asked for by each GET, in order (0 without a Range header, -1 for a 503). */
    List<Long> rangeStarts() {
        return List.copyOf(rangeStarts);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Path file = files.get(exchange.getRequestURI().getPath());
            if (file == null) {
                byte[] body = "{\"error\":\"no such package\",\"code\":\"PACKAGE_NOT_FOUND\"}".getBytes();
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                rangeStarts.add(-1L);
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            String range = exchange.getRequestHeaders().getFirst("Range");
            long start = 0;
            long last = bytes.length - 1;
            if (range != null) {
                Matcher m = RANGE.matcher(range);
                if (m.matches()) {
                    start = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        last = Math.min(last, Long.parseLong(m.group(2)));
                    }
                }
            }
            rangeStarts.add(start);
            if (start >= bytes.length) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + bytes.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            if (range != null) {
                exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + last + "/" + bytes.length);
                exchange.sendResponseHeaders(206, last - start + 1);
            } else {
                exchange.sendResponseHeaders(200, bytes.length);
            }
            OutputStream out = exchange.getResponseBody();
            for (long at = start; at <= last; ) {
                long stop = stallAfter;
                if (stop >= 0 && at >= stop) {
                    stalled.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    if (dropStalled) {
                        dropStalled = false;
                        return;
                    }
                    continue;
                }
                int n = (int) Math.min(PIECE, last + 1 - at);
                if (stop >= 0) {
                    n = (int) Math.min(n, stop - at);
                }
                out.write(bytes, (int) at, n);
                out.flush();
                bytesSent.addAndGet(n);
                at += n;
                if (pieceDelayMillis > 0) {
                    Thread.sleep(pieceDelayMillis);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the agent went away mid-transfer (a cancel, a crash): what was sent is counted
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        pool.shutdownNow();
    }
}
