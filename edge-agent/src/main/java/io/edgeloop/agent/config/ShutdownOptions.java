package io.edgeloop.agent.config;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.time.Duration;

/**
 * Graceful shutdown ({@code shutdown} in {@code agent.yaml}).
 *
 * @param drainTimeoutMillis on close (SIGTERM) the agent stops taking requests and waits this long
 *                           for in-flight ones
 */
public record ShutdownOptions(long drainTimeoutMillis) {
    public static final long DEFAULT_DRAIN_TIMEOUT_MILLIS = 10_000;

    public static final ShutdownOptions DEFAULT = new ShutdownOptions(DEFAULT_DRAIN_TIMEOUT_MILLIS);

    public void validate(String section) throws EdgeLoopException {
        if (drainTimeoutMillis < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".drainTimeoutMillis must not be negative, not "
                    + drainTimeoutMillis);
        }
    }

    public Duration drainTimeout() {
        return Duration.ofMillis(drainTimeoutMillis);
    }

    public ShutdownOptions withDrainTimeoutMillis(long drainTimeoutMillis) {
        return new ShutdownOptions(drainTimeoutMillis);
    }
}
