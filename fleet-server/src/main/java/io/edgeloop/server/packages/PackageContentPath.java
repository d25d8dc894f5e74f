package io.edgeloop.server.packages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Where a device downloads a package (relative to the server), with its download token. */
public final class PackageContentPath {
    private PackageContentPath() {
    }

    /** {@code /api/v1/packages/{sha256}/content?device=ID&token=T}, the path a job document's URL carries. */
    public static String of(String sha256, String deviceId, String token) {
        return "/api/v1/packages/" + sha256 + "/content?device=" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                + "&token=" + token;
    }
}
