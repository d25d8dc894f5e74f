package io.edgeloop.agent.batch;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.time.Duration;

/**
 * How the {@link DynamicBatcher} groups concurrent requests ({@code batch} in {@code agent.yaml}).
 *
 * @param maxBatch       most rows (along the first dimension) in one engine call
 * @param maxDelayMicros longest a batch waits for more requests once concurrency was seen; a lone
 *                       client never waits (see {@link DynamicBatcher})
 * @param queueCapacity  requests waiting at most; beyond that a submit is refused (backpressure)
 * @param workers        threads calling the engine; each runs one batch at a time
 * @param inlineWhenIdle run a request on the caller's thread when nothing is queued or running
 *                       (lowest single-request latency; the caller blocks for one inference)
 */
public record BatchOptions(int maxBatch, long maxDelayMicros, int queueCapacity, int workers, boolean inlineWhenIdle) {
    public static final int DEFAULT_MAX_BATCH = 64;
    public static final long DEFAULT_MAX_DELAY_MICROS = 300;
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;
    public static final int DEFAULT_WORKERS = 1;
    public static final boolean DEFAULT_INLINE_WHEN_IDLE = true;

    public static final BatchOptions DEFAULT = new BatchOptions(DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY_MICROS,
            DEFAULT_QUEUE_CAPACITY, DEFAULT_WORKERS, DEFAULT_INLINE_WHEN_IDLE);

    public void validate(String section) throws EdgeLoopException {
        if (maxBatch < 1) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".maxBatch must be at least 1, not " + maxBatch);
        }
        if (maxDelayMicros < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".maxDelayMicros must not be negative, not "
                    + maxDelayMicros);
        }
        if (queueCapacity < 1) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".queueCapacity must be at least 1, not "
                    + queueCapacity);
        }
        if (workers < 1) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".workers must be at least 1, not " + workers);
        }
    }

    public Duration maxDelay() {
        return Duration.ofNanos(maxDelayMicros * 1000);
    }

    public BatchOptions withMaxBatch(int maxBatch) {
        return new BatchOptions(maxBatch, maxDelayMicros, queueCapacity, workers, inlineWhenIdle);
    }

    public BatchOptions withMaxDelayMicros(long maxDelayMicros) {
        return new BatchOptions(maxBatch, maxDelayMicros, queueCapacity, workers, inlineWhenIdle);
    }

    public BatchOptions withQueueCapacity(int queueCapacity) {
        return new BatchOptions(maxBatch, maxDelayMicros, queueCapacity, workers, inlineWhenIdle);
    }

    public BatchOptions withWorkers(int workers) {
        return new BatchOptions(maxBatch, maxDelayMicros, queueCapacity, workers, inlineWhenIdle);
    }

    public BatchOptions withInlineWhenIdle(boolean inlineWhenIdle) {
        return new BatchOptions(maxBatch, maxDelayMicros, queueCapacity, workers, inlineWhenIdle);
    }
}
