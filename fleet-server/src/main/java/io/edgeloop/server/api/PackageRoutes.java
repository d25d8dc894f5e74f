package io.edgeloop.server.api;

import io.edgeloop.server.packages.ByteRange;
import io.edgeloop.server.packages.DownloadTokens;
import io.edgeloop.server.packages.PackageRepository;
import io.edgeloop.server.packages.StoredPackage;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.devices.DeviceService;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/packages}: upload (streamed), list, read, delete, download tokens, and the
 * agents' download with {@code Range}. Mount {@link #mountStreaming} before the body handler so
 * uploads are never buffered, and {@link #mount} after it.
 */
public final class PackageRoutes {
    public static final long DEFAULT_MAX_PACKAGE_BYTES = 512L << 20;

    private final PackageRepository repository;
    private final DownloadTokens downloadTokens;
    private final DeviceService devices;
    private final long maxBytes;

    public PackageRoutes(PackageRepository repository, DownloadTokens downloadTokens, DeviceService devices, long maxBytes) {
        this.repository = repository;
        this.downloadTokens = downloadTokens;
        this.devices = devices;
        this.maxBytes = maxBytes;
    }

    public void mountStreaming(ApiRouter api) {
        PackageUpload upload = new PackageUpload(api.vertx(), repository, maxBytes);
        api.router().post("/api/v1/packages")
                .handler(ctx -> {
                    ctx.request().pause();
                    ctx.next();
                })
                .handler(api.authenticate(Role.OPERATOR))
                .handler(upload::handle);
        api.router().get("/api/v1/packages/:sha256/content").handler(ctx -> api.blocking(ctx, () -> download(ctx)));
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.GET, "/api/v1/packages", Role.VIEWER, (ctx, actor) -> HttpReplies.json(ctx, 200, repository.list()));
        api.route(HttpMethod.GET, "/api/v1/packages/:name/:version", Role.VIEWER, (ctx, actor) ->
                HttpReplies.json(ctx, 200, repository.get(ctx.pathParam("name"), ctx.pathParam("version"))));
        api.route(HttpMethod.DELETE, "/api/v1/packages/:name/:version", Role.OPERATOR, (ctx, actor) ->
                HttpReplies.json(ctx, 200, repository.delete(actor, ctx.pathParam("name"), ctx.pathParam("version"))));
        api.route(HttpMethod.POST, "/api/v1/packages/:name/:version/download-tokens", Role.OPERATOR, (ctx, actor) -> {
            JsonNode body = HttpReplies.body(ctx);
            String deviceId = HttpReplies.requiredText(body, "deviceId");
            StoredPackage pkg = repository.get(ctx.pathParam("name"), ctx.pathParam("version"));
            if (!devices.get(deviceId).status().equals("revoked")) {
                DownloadTokens.Minted minted = downloadTokens.mint(deviceId, pkg.sha256());
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("deviceId", deviceId);
                answer.put("sha256", pkg.sha256());
                answer.put("sizeBytes", pkg.sizeBytes());
                answer.put("token", minted.token());
                answer.put("expiresAt", minted.expiresAt());
                answer.put("url", contentPath(pkg.sha256(), deviceId, minted.token()));
                HttpReplies.json(ctx, 201, answer);
            } else {
                throw new EdgeLoopException(ErrorCode.DEVICE_REVOKED, "device '" + deviceId + "' was revoked");
            }
        });
    }

    /** The download path (relative to the server) a job document carries. */
    public static String contentPath(String sha256, String deviceId, String token) {
        return io.edgeloop.server.packages.PackageContentPath.of(sha256, deviceId, token);
    }

    private void download(RoutingContext ctx) throws EdgeLoopException {
        String sha = ctx.pathParam("sha256");
        String deviceId = ApiRouter.query(ctx, "device");
        String token = ApiRouter.query(ctx, "token");
        String auth = ctx.request().getHeader("Authorization");
        if (token == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = auth.substring(7).strip();
        }
        if (deviceId == null) {
            throw new EdgeLoopException(ErrorCode.DOWNLOAD_TOKEN_INVALID, "the download needs ?device=DEVICE_ID");
        }
        downloadTokens.check(token, deviceId, sha);
        if (devices.get(deviceId).status().equals("revoked")) {
            throw new EdgeLoopException(ErrorCode.DEVICE_REVOKED, "device '" + deviceId + "' was revoked");
        }
        StoredPackage pkg = repository.bySha256(sha);
        ByteRange range;
        try {
            range = ByteRange.parse(ctx.request().getHeader("Range"), pkg.sizeBytes());
        } catch (EdgeLoopException e) {
            ctx.response().putHeader("Content-Range", "bytes */" + pkg.sizeBytes());
            throw e;
        }
        HttpServerResponse response = ctx.response().putHeader("Accept-Ranges", "bytes")
                .putHeader("ETag", "\"" + sha + "\"").putHeader("Content-Type", "application/octet-stream");
        String file = repository.store().pathOf(sha).toString();
        if (range == null) {
            response.setStatusCode(200).sendFile(file);
        } else {
            response.setStatusCode(206).putHeader("Content-Range",
                    "bytes " + range.start() + "-" + range.endInclusive() + "/" + pkg.sizeBytes());
            response.sendFile(file, range.start(), range.length());
        }
    }
}
