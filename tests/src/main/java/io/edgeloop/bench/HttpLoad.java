package io.edgeloop.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A lean HTTP/1.1 load generator for the agent benchmark, in the manner of {@code wrk}: requests
 * are encoded once, connections are kept alive, and responses are read by their
 * {@code Content-Length} without building objects. A general-purpose client (the JDK's
 * {@code HttpClient}) spends more CPU per request than the agent does, which on a 2-core machine
 * would measure the client rather than the server.
 */
final class HttpLoad {
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress address;
    private final List<byte[]> requests = new ArrayList<>();

    /** A request body; {@code jsonLength} >= 0 marks a binary tensor data body whose JSON header is that long. */
    record Body(byte[] bytes, int jsonLength) {
    }

    /** Pre-encodes one POST of each body to {@code path}. */
    HttpLoad(String host, int port, String path, List<Body> bodies) {
        this.address = new InetSocketAddress(host, port);
        for (Body b : bodies) {
            byte[] body = b.bytes();
            String type = b.jsonLength() < 0 ? "application/json"
                    : "application/octet-stream\r\nInference-Header-Content-Length: " + b.jsonLength();
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[head.length + body.length];
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            requests.add(request);
        }
    }

    /** One client, one request at a time on one connection; latency of each after {@code warmup}, in microseconds. */
    Histogram sequential(int warmup, int count) throws IOException {
        Histogram latency = new Histogram(3);
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(address, 5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            ResponseReader reader = new ResponseReader();
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < warmup + count; i++) {
                long t = System.nanoTime();
                out.write(requests.get(i % requests.size()));
                out.flush();
                reader.reset();
                while (!reader.complete()) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        throw new IOException("the server closed the connection");
                    }
                    reader.feed(ByteBuffer.wrap(chunk, 0, n));
                }
                if (i >= warmup) {
                    latency.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
                }
            }
        }
        return latency;
    }

    /** Result of a closed-loop run: completed requests, seconds, and latency in microseconds. */
    record Throughput(long requests, double seconds, Histogram latency) {
        double perSecond() {
            return requests / seconds;
        }
    }

    /**
     * {@code connections} clients, each sending its next request as soon as its previous answer
     * is complete (a closed loop), all driven by one thread with a selector, for {@code seconds}.
     */
    Throughput closedLoop(int connections, double seconds) throws IOException {
        Histogram latency = new Histogram(3);
        long done = 0;
        try (Selector selector = Selector.open()) {
            List<Connection> open = new ArrayList<>();
            try {
                for (int c = 0; c < connections; c++) {
                    SocketChannel ch = SocketChannel.open(address);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.configureBlocking(false);
                    Connection conn = new Connection(ch, c * 7);
                    open.add(conn);
                    conn.send();
                    ch.register(selector, conn.interest(), conn);
                }
                long start = System.nanoTime();
                long end = start + (long) (seconds * 1e9);
                ByteBuffer read = ByteBuffer.allocateDirect(256 * 1024);
                while (System.nanoTime() < end) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        Connection conn = (Connection) key.attachment();
                        if (key.isWritable()) {
                            conn.write();
                        }
                        if (key.isReadable()) {
                            read.clear();
                            if (conn.channel.read(read) < 0) {
                                throw new IOException("the server closed a connection");
                            }
                            read.flip();
                            conn.reader.feed(read);
                            if (conn.reader.complete()) {
                                latency.recordValue(Math.max(1, (System.nanoTime() - conn.sentAt) / 1000));
                                done++;
                                conn.send();
                            }
                        }
                        key.interestOps(conn.interest());
                    }
                    selector.selectedKeys().clear();
                }
                return new Throughput(done, (System.nanoTime() - start) / 1e9, latency);
            } finally {
                for (Connection conn : open) {
                    conn.channel.close();
                }
            }
        }
    }

    private final class Connection {
        final SocketChannel channel;
        final ResponseReader reader = new ResponseReader();
        int next;
        ByteBuffer pending;
        long sentAt;

        Connection(SocketChannel channel, int first) {
            this.channel = channel;
            this.next = first;
        }

        void send() throws IOException {
            reader.reset();
            pending = ByteBuffer.wrap(requests.get(next++ % requests.size()));
            sentAt = System.nanoTime();
            write();
        }

        void write() throws IOException {
            channel.write(pending);
        }

        int interest() {
            return pending.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ;
        }
    }

    /** Follows one response's bytes: headers up to the blank line, then Content-Length body bytes; 200 only. */
    static final class ResponseReader {
        private final StringBuilder head = new StringBuilder();
        private int matched;
        private long bodyLeft = -1;

        void reset() {
            head.setLength(0);
            matched = 0;
            bodyLeft = -1;
        }

        boolean complete() {
            return bodyLeft == 0;
        }

        void feed(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                if (bodyLeft < 0) {
                    byte b = bytes.get();
                    head.append((char) b);
                    matched = b == HEADER_END[matched] ? matched + 1 : (b == HEADER_END[0] ? 1 : 0);
                    if (matched == HEADER_END.length) {
                        bodyLeft = contentLength(head.toString());
                    }
                } else {
                    int take = (int) Math.min(bodyLeft, bytes.remaining());
                    bytes.position(bytes.position() + take);
                    bodyLeft -= take;
                    if (bodyLeft == 0 && bytes.hasRemaining()) {
                        throw new IOException("bytes after a complete response; the load is closed-loop");
                    }
                }
            }
        }

        private static long contentLength(String head) throws IOException {
            if (!head.startsWith("HTTP/1.1 200")) {
                throw new IOException("answer was not 200: " + head.lines().findFirst().orElse(head));
            }
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    return Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            throw new IOException("the answer has no Content-Length: " + head);
        }
    }
}
