package io.edgeloop.agent.store;

import java.nio.file.Path;

/**
 * Where the model store lives and how much history it keeps.
 *
 * @param root         the store's directory ({@code data-dir/models})
 * @param keepPrevious previous versions kept per model for rollback, besides the active one
 */
public record StoreOptions(Path root, int keepPrevious) {
    public static final int DEFAULT_KEEP_PREVIOUS = 2;

    public StoreOptions {
        if (keepPrevious < 0) {
            throw new IllegalArgumentException("keepPrevious must not be negative, not " + keepPrevious);
        }
    }
}
