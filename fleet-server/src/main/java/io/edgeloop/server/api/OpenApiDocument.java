package io.edgeloop.server.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The API's OpenAPI 3 description ({@code openapi/edgeloop.yaml}), served at {@code GET /openapi.yaml}. */
public final class OpenApiDocument {
    public static final String RESOURCE = "/openapi/edgeloop.yaml";
    public static final String PATH = "/openapi.yaml";

    private OpenApiDocument() {
    }

    public static byte[] bytes() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void mount(Router router) {
        byte[] document = bytes();
        // A fresh Buffer per answer: one Buffer written by several responses (and event loops) at
        // once is not safe in Vert.x 5, and a GET then waited for bytes that never came.
        router.get(PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml")
                .end(Buffer.buffer(document)));
    }
}
