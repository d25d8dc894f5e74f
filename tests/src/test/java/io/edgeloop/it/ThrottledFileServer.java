package io.edgeloop.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file over HTTP with {@code Range: bytes=N-[M]}, sent slowly (4 KiB pieces with a pause), on
 * an ephemeral loopback port; counts the bytes it wrote and records where each GET started, so a
 * test can kill a downloading agent midway and measure what it fetched twice.
 */
final class ThrottledFileServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final byte[] bytes;
    private final long pauseMillis;
    private final AtomicLong sent = new AtomicLong();
    private final List<Long> starts = new CopyOnWriteArrayList<>();

    ThrottledFileServer(Path file, long pauseMillisPer4KiB) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.bytes = Files.readAllBytes(file);
        this.pauseMillis = pauseMillisPer4KiB;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/pkg", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/pkg";
    }

    long bytesSent() {
        return sent.get();
    }

    List<Long> rangeStarts() {
        return List.copyOf(starts);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long start = 0;
            long last = bytes.length - 1;
            String range = exchange.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                start = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    last = Math.min(last, Long.parseLong(m.group(2)));
                }
            }
            starts.add(start);
            if (range != null) {
                exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + last + "/" + bytes.length);
                exchange.sendResponseHeaders(206, last - start + 1);
            } else {
                exchange.sendResponseHeaders(200, bytes.length);
            }
            OutputStream out = exchange.getResponseBody();
            for (long at = start; at <= last; ) {
                int n = (int) Math.min(4096, last + 1 - at);
                out.write(bytes, (int) at, n);
                out.flush();
                sent.addAndGet(n);
                at += n;
                Thread.sleep(pauseMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the agent went away (kill -9): what was written is counted
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
