package io.edgeloop.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a free loopback port in front of a target port (set once the target listens, so
 * the target can be told the proxy's URL first), sending the answers back at
 * no more than {@code bytesPerSecond} and counting every byte it sent back: a slow download
 * whose bytes on the wire can be added up, whatever the client says it fetched.
 */
final class ThrottledProxy implements AutoCloseable {
    private final ServerSocket listener;
    private volatile int targetPort;
    private final long bytesPerSecond;
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean closed;

    ThrottledProxy(long bytesPerSecond) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.bytesPerSecond = bytesPerSecond;
        Thread accept = new Thread(this::accept, "proxy-accept-" + port());
        accept.setDaemon(true);
        accept.start();
    }

    /** Where connections go from now on. */
    void target(int port) {
        this.targetPort = port;
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Bytes sent back to clients so far, headers included. */
    long bytesToClients() {
        return toClient.get();
    }

    long connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                connections.incrementAndGet();
                pump(client.getInputStream(), server.getOutputStream(), client, server, false);
                pump(server.getInputStream(), client.getOutputStream(), client, server, true);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("proxy: " + e);
                }
            }
        }
    }

    private void pump(InputStream in, OutputStream out, Socket a, Socket b, boolean throttled) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            long start = System.nanoTime();
            long sent = 0;
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                    if (throttled) {
                        toClient.addAndGet(n);
                        sent += n;
                        long due = start + sent * 1_000_000_000L / bytesPerSecond;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // one side went away: close both
            } finally {
                close(a);
                close(b);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
    }
}
