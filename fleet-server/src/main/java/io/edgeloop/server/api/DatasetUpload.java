package io.edgeloop.server.api;

import io.edgeloop.packager.data.PiiFilter;
import io.edgeloop.packager.data.PiiHasher;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.datasets.DatasetImport;
import io.edgeloop.server.datasets.DatasetStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code POST /api/v1/datasets}: the CSV body cut into lines as it arrives, each line passed
 * through the import's PII rules ({@link PiiFilter}) and only the cleaned line written to the
 * store's incoming file (with back-pressure), so the raw bytes never reach the disk. A bad
 * header, a rule the header refutes, a ragged line or a body over the limit stops the writing
 * (the rest is drained, nothing is kept) and answers its code; the cleaned file is then read,
 * recorded and audited off the event loop.
 */
final class DatasetUpload {
    /** A line longer than this is refused: CSV rows are short, and the partial line is held in memory. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final Vertx vertx;
    private final DatasetStore store;
    private final PiiHasher hasher;
    private final long maxBytes;

    DatasetUpload(Vertx vertx, DatasetStore store, PiiHasher hasher, long maxBytes) {
        this.vertx = vertx;
        this.store = store;
        this.hasher = hasher;
        this.maxBytes = maxBytes;
    }

    void handle(RoutingContext ctx, DatasetImport request) {
        vertx.executeBlocking(() -> {
            store.refuseTaken(request.name());
            return store.newUpload();
        }, false).onComplete(created -> {
            if (created.failed()) {
                drainAndFail(ctx, created.cause());
                return;
            }
            Path upload = created.result();
            vertx.fileSystem().open(upload.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                    .onFailure(t -> drainAndFail(ctx, t))
                    .onSuccess(file -> new Receiver(ctx, request, upload, file).start());
        });
    }

    /** Answers {@code t} once the (paused, unread) body has been read and dropped. */
    static void drainAndFail(RoutingContext ctx, Throwable t) {
        HttpServerRequest req = ctx.request();
        if (!req.isEnded()) {
            req.handler(chunk -> { });
            req.endHandler(v -> HttpReplies.failure(ctx, t));
            req.resume();
        } else {
            HttpReplies.failure(ctx, t);
        }
    }

    /** One import in flight: the partial line, the filter once the header is known, the figures. */
    private final class Receiver {
        private final RoutingContext ctx;
        private final DatasetImport request;
        private final Path upload;
        private final AsyncFile file;
        private final MessageDigest digest = sha256();
        private Buffer partial = Buffer.buffer();
        private PiiFilter filter;
        private Throwable failure;
        private long received;
        private long written;
        private int lineNo;
        private int rows;

        Receiver(RoutingContext ctx, DatasetImport request, Path upload, AsyncFile file) {
            this.ctx = ctx;
            this.request = request;
            this.upload = upload;
            this.file = file;
        }

        void start() {
            HttpServerRequest req = ctx.request();
            req.handler(this::chunk);
            req.exceptionHandler(this::fail);
            file.exceptionHandler(this::fail);
            req.endHandler(v -> end());
            req.resume();
        }

        private void chunk(Buffer chunk) {
            if (failure != null) {
                return;
            }
            received += chunk.length();
            if (received > maxBytes) {
                fail(new EdgeLoopException(ErrorCode.REQUEST_TOO_LARGE, "the dataset has more than " + maxBytes
                        + " bytes, the server's limit"));
                return;
            }
            int from = 0;
            for (int i = 0; i < chunk.length(); i++) {
                if (chunk.getByte(i) == '\n') {
                    partial.appendBuffer(chunk, from, i - from);
                    line(partial.toString(StandardCharsets.UTF_8));
                    partial = Buffer.buffer();
                    from = i + 1;
                    if (failure != null) {
                        return;
                    }
                }
            }
            partial.appendBuffer(chunk, from, chunk.length() - from);
            if (partial.length() > MAX_LINE_BYTES) {
                fail(new EdgeLoopException(ErrorCode.DATASET_INVALID, "line " + (lineNo + 1) + " is longer than "
                        + MAX_LINE_BYTES + " bytes"));
            }
        }

        private void line(String raw) {
            lineNo++;
            String text = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            try {
                if (filter == null) {
                    if (text.startsWith("\uFEFF")) {
                        text = text.substring(1);
                    }
                    filter = PiiFilter.forHeader(text, request.rules(), request.label(), request.group(), hasher);
                    write(filter.headerLine());
                } else if (!text.isBlank()) {
                    write(filter.apply(text, lineNo));
                    rows++;
                }
            } catch (EdgeLoopException | RuntimeException e) {
                fail(e);
            }
        }

        private void write(String cleaned) {
            byte[] bytes = (cleaned + "\n").getBytes(StandardCharsets.UTF_8);
            digest.update(bytes);
            written += bytes.length;
            file.write(Buffer.buffer(bytes));
            if (file.writeQueueFull()) {
                ctx.request().pause();
                file.drainHandler(v -> ctx.request().resume());
            }
        }

        private void fail(Throwable t) {
            if (failure != null) {
                return;
            }
            failure = t;
            partial = Buffer.buffer();
            file.close().onComplete(v -> vertx.executeBlocking(() -> {
                DatasetStore.discard(upload);
                return null;
            }, false));
            ctx.request().resume(); // a paused request is drained, so the client reads the answer
        }

        private void end() {
            if (failure == null && partial.length() > 0) {
                line(partial.toString(StandardCharsets.UTF_8));
            }
            if (failure == null && filter == null) {
                fail(new EdgeLoopException(ErrorCode.DATASET_INVALID, "the body is empty; send CSV text whose first"
                        + " line names the columns"));
            }
            if (failure != null) {
                HttpReplies.failure(ctx, failure);
                return;
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            List<String> columns = filter.columns();
            file.close().onComplete(closed -> vertx.executeBlocking(() -> store.accept(ApiRouter.actor(ctx), request, upload,
                            sha, written, rows, columns), false)
                    .onSuccess(stored -> {
                        ctx.response().putHeader("Location", "/api/v1/datasets/" + stored.name());
                        HttpReplies.json(ctx, 201, stored);
                    })
                    .onFailure(t -> HttpReplies.failure(ctx, t)));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
