package io.edgeloop.agent.api;

/**
 * The local HTTP API.
 *
 * @param host           interface to bind ({@code 0.0.0.0} for all)
 * @param port           TCP port; 0 picks a free one
 * @param bodyLimitBytes largest request body accepted; larger ones answer 413
 */
public record ApiOptions(String host, int port, long bodyLimitBytes) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_BODY_LIMIT_BYTES = 8L * 1024 * 1024;

    public ApiOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, not " + port);
        }
        if (bodyLimitBytes < 1024) {
            throw new IllegalArgumentException("bodyLimitBytes must be at least 1024, not " + bodyLimitBytes);
        }
    }

    /** Tensor elements a request may declare: each needs at least two bytes of JSON ("0,"). */
    public long maxElements() {
        return bodyLimitBytes / 2;
    }
}
