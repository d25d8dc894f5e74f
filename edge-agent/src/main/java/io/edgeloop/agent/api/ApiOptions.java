package io.edgeloop.agent.api;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

/**
 * The local HTTP API ({@code http} in {@code agent.yaml}).
 *
 * @param enabled        whether the agent opens an HTTP server at all; without one it still loads
 *                       models and serves through its Java API (an agent embedded in a simulator)
 * @param host           interface to bind ({@code 0.0.0.0} for all)
 * @param port           TCP port; 0 picks a free one ({@code Agent.port()} tells which)
 * @param bodyLimitBytes largest request body accepted; larger ones answer 413
 * @param adminToken     the local token that opens the administrative endpoints (upload, activate,
 *                       rollback, shadow) to callers on other interfaces ({@code Authorization: Bearer
 *                       TOKEN}); empty means they answer loopback callers only
 */
public record ApiOptions(boolean enabled, String host, int port, long bodyLimitBytes, String adminToken) {
    public static final boolean DEFAULT_ENABLED = true;
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_BODY_LIMIT_BYTES = 8L * 1024 * 1024;
    /** No token: the administrative endpoints answer loopback callers only. */
    public static final String DEFAULT_ADMIN_TOKEN = "";

    public static final ApiOptions DEFAULT = new ApiOptions(DEFAULT_ENABLED, DEFAULT_HOST, DEFAULT_PORT,
            DEFAULT_BODY_LIMIT_BYTES, DEFAULT_ADMIN_TOKEN);
    /** No HTTP server. */
    public static final ApiOptions DISABLED = DEFAULT.withEnabled(false);

    /** Checks every setting; {@code section} prefixes the names in the message (e.g. {@code http}). */
    public void validate(String section) throws EdgeLoopException {
        if (host == null || host.isBlank()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".host must be set");
        }
        if (port < 0 || port > 65535) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".port must be 0-65535, not " + port);
        }
        if (bodyLimitBytes < 1024) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".bodyLimitBytes must be at least 1024, not "
                    + bodyLimitBytes);
        }
        if (adminToken == null || (!adminToken.isEmpty() && adminToken.length() < 16)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".adminToken must be empty (loopback only) or at"
                    + " least 16 characters");
        }
    }

    public ApiOptions withEnabled(boolean enabled) {
        return new ApiOptions(enabled, host, port, bodyLimitBytes, adminToken);
    }

    public ApiOptions withHost(String host) {
        return new ApiOptions(enabled, host, port, bodyLimitBytes, adminToken);
    }

    public ApiOptions withPort(int port) {
        return new ApiOptions(enabled, host, port, bodyLimitBytes, adminToken);
    }

    public ApiOptions withBodyLimitBytes(long bodyLimitBytes) {
        return new ApiOptions(enabled, host, port, bodyLimitBytes, adminToken);
    }

    public ApiOptions withAdminToken(String adminToken) {
        return new ApiOptions(enabled, host, port, bodyLimitBytes, adminToken);
    }

    /** Tensor elements a request may declare: each needs at least two bytes of JSON ("0,"). */
    public long maxElements() {
        return bodyLimitBytes / 2;
    }
}
