package io.edgeloop.agent.batch;

import java.time.Duration;

/**
 * How the {@link DynamicBatcher} groups concurrent requests.
 *
 * @param maxBatch      most rows (along the first dimension) in one engine call
 * @param maxDelay      longest a batch waits for more requests once concurrency was seen; a lone
 *                      client never waits (see {@link DynamicBatcher})
 * @param queueCapacity requests waiting at most; beyond that a submit is refused (backpressure)
 * @param workers       threads calling the engine; each runs one batch at a time
 * @param inlineWhenIdle run a request on the caller's thread when nothing is queued or running
 *                      (lowest single-request latency; the caller blocks for one inference)
 */
public record BatchOptions(int maxBatch, Duration maxDelay, int queueCapacity, int workers, boolean inlineWhenIdle) {
    public static final int DEFAULT_MAX_BATCH = 64;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofNanos(300_000);
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;
    public static final int DEFAULT_WORKERS = 1;
    public static final boolean DEFAULT_INLINE_WHEN_IDLE = true;

    public static final BatchOptions DEFAULT = new BatchOptions(DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY,
            DEFAULT_QUEUE_CAPACITY, DEFAULT_WORKERS, DEFAULT_INLINE_WHEN_IDLE);

    public BatchOptions {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative, not " + maxDelay);
        }
        if (queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("queueCapacity and workers must be at least 1");
        }
    }
}
