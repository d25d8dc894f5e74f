package io.edgeloop.server.api;

import io.edgeloop.server.packages.PackageRepository;
import io.edgeloop.server.packages.PackageStore;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Actor;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code POST /api/v1/packages}: the raw body streamed to a file in the store's incoming folder
 * (with back-pressure, hashing as it goes; never whole in the heap), cut off with 413 once it
 * passes the size limit (the rest is drained, not stored), then verified and stored off the event loop. The route pauses the
 * request before authenticating, so no byte is read before the caller is known.
 */
final class PackageUpload {
    private final Vertx vertx;
    private final PackageRepository repository;
    private final long maxBytes;

    PackageUpload(Vertx vertx, PackageRepository repository, long maxBytes) {
        this.vertx = vertx;
        this.repository = repository;
        this.maxBytes = maxBytes;
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        Actor actor = ApiRouter.actor(ctx);
        String declared = req.getHeader("Content-Length");
        if (declared != null && parse(declared) > maxBytes && "100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
            // The client waits for 100 before sending: refuse without receiving a byte.
            tooLarge(ctx, parse(declared));
            return;
        }
        vertx.executeBlocking(() -> repository.store().newUpload(), false).onComplete(created -> {
            if (created.failed()) {
                HttpReplies.failure(ctx, created.cause());
                return;
            }
            Path upload = created.result();
            vertx.fileSystem().open(upload.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                    .onFailure(t -> {
                        PackageStore.discard(upload);
                        HttpReplies.failure(ctx, t);
                    })
                    .onSuccess(file -> receive(ctx, actor, upload, file));
        });
    }

    private void receive(RoutingContext ctx, Actor actor, Path upload, AsyncFile file) {
        HttpServerRequest req = ctx.request();
        MessageDigest digest = sha256();
        long[] received = {0};
        boolean[] refused = {false};
        req.handler(chunk -> {
            if (refused[0]) {
                received[0] += chunk.length();
                return;
            }
            received[0] += chunk.length();
            if (received[0] > maxBytes) {
                // Past the limit the rest is read and dropped (no disk, no heap), so the client
                // gets its 413 instead of a reset connection in the middle of sending.
                refused[0] = true;
                file.close().onComplete(v -> vertx.executeBlocking(() -> {
                    PackageStore.discard(upload);
                    return null;
                }, false));
                return;
            }
            digest.update(chunk.getBytes());
            file.write(chunk);
            if (file.writeQueueFull()) {
                req.pause();
                file.drainHandler(v -> req.resume());
            }
        });
        req.exceptionHandler(t -> {
            refused[0] = true;
            file.close().onComplete(v -> PackageStore.discard(upload));
        });
        req.endHandler(v -> {
            if (refused[0]) {
                tooLarge(ctx, received[0]);
                return;
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            file.close().onComplete(closed -> vertx.executeBlocking(() -> repository.accept(actor, upload, sha, received[0]), false)
                    .onSuccess(stored -> {
                        ctx.response().putHeader("Location", "/api/v1/packages/" + stored.name() + "/" + stored.version());
                        HttpReplies.json(ctx, 201, stored.withoutManifest());
                    })
                    .onFailure(t -> HttpReplies.failure(ctx, t)));
        });
        if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
            ctx.response().writeContinue();
        }
        req.resume();
    }

    private void tooLarge(RoutingContext ctx, long size) {
        HttpReplies.error(ctx, new EdgeLoopException(ErrorCode.PACKAGE_TOO_LARGE, "the upload has " + size
                + " bytes or more, over the limit of " + maxBytes));
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
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
