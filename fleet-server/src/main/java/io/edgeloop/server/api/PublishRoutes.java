package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Role;
import io.edgeloop.server.publish.VersionPackager;
import io.vertx.core.http.HttpMethod;

/**
 * {@code POST /api/v1/models/{name}/versions/{v}/package} (operator): builds, signs with the
 * server's key and stores the package of a registered version; answers 201 with the stored
 * package. Body (all optional): {@code packageVersion} (default {@code V.0.0}),
 * {@code calibrationDataset} (default {@code fashion-mnist:train}), {@code referenceDataset}
 * (default {@code fashion-mnist:test}).
 */
public final class PublishRoutes {
    public static final String DEFAULT_CALIBRATION = "fashion-mnist:train";
    public static final String DEFAULT_REFERENCE = "fashion-mnist:test";

    private final VersionPackager packager;
    private final DatasetLoader datasets;

    public PublishRoutes(VersionPackager packager, DatasetLoader datasets) {
        this.packager = packager;
        this.datasets = datasets;
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.POST, "/api/v1/models/:name/versions/:version/package", Role.OPERATOR, (ctx, actor) -> {
            JsonNode body = HttpReplies.body(ctx);
            int version = version(ctx.pathParam("version"));
            String calibration = orDefault(HttpReplies.optionalText(body, "calibrationDataset"), DEFAULT_CALIBRATION);
            String reference = orDefault(HttpReplies.optionalText(body, "referenceDataset"), DEFAULT_REFERENCE);
            VersionPackager.Published published = packager.publish(actor, ctx.pathParam("name"), version,
                    HttpReplies.optionalText(body, "packageVersion"), datasets.load(calibration), datasets.load(reference));
            ctx.response().putHeader("Location", "/api/v1/packages/" + published.stored().name() + "/"
                    + published.stored().version());
            HttpReplies.json(ctx, 201, published.json());
        });
    }

    static int version(String text) throws EdgeLoopException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "model version '" + text + "' is not a number");
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
