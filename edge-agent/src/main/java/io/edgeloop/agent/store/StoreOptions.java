package io.edgeloop.agent.store;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

/**
 * How much history the model store keeps ({@code store} in {@code agent.yaml}); the store lives
 * in {@code data-dir/models}.
 *
 * @param keepPrevious previous versions kept per model for rollback, besides the active one
 */
public record StoreOptions(int keepPrevious) {
    public static final int DEFAULT_KEEP_PREVIOUS = 2;

    public static final StoreOptions DEFAULT = new StoreOptions(DEFAULT_KEEP_PREVIOUS);

    public void validate(String section) throws EdgeLoopException {
        if (keepPrevious < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".keepPrevious must not be negative, not "
                    + keepPrevious);
        }
    }

    public StoreOptions withKeepPrevious(int keepPrevious) {
        return new StoreOptions(keepPrevious);
    }
}
