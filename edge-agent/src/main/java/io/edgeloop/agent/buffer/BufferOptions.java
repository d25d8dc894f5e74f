package io.edgeloop.agent.buffer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The agent's RocksDB database and what the capture buffer keeps.
 *
 * @param dir                the database directory ({@code data-dir/db})
 * @param sync               WAL sync policy, see {@link SyncPolicy}
 * @param syncInterval       how often the WAL is synced under {@link SyncPolicy#INTERVAL}
 * @param captureSampleRate  fraction of requests whose inputs and outputs are captured, in [0, 1]
 * @param captureQuotaBytes  the capture buffer's size quota; beyond it the lowest-priority,
 *                           oldest records are evicted first
 * @param captureMaxAge      captures older than this are deleted by the retention sweep
 */
public record BufferOptions(Path dir, SyncPolicy sync, Duration syncInterval, double captureSampleRate,
                            long captureQuotaBytes, Duration captureMaxAge) {
    public static final SyncPolicy DEFAULT_SYNC = SyncPolicy.INTERVAL;
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_CAPTURE_SAMPLE_RATE = 0.01;
    public static final long DEFAULT_CAPTURE_QUOTA_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_CAPTURE_MAX_AGE = Duration.ofDays(7);

    public BufferOptions {
        if (!(captureSampleRate >= 0 && captureSampleRate <= 1)) {
            throw new IllegalArgumentException("captureSampleRate must be in [0, 1], not " + captureSampleRate);
        }
        if (captureQuotaBytes < 0 || syncInterval.isNegative() || syncInterval.isZero() || captureMaxAge.isNegative()) {
            throw new IllegalArgumentException("quota, sync interval and max age must be positive");
        }
    }

    public static BufferOptions defaults(Path dir) {
        return new BufferOptions(dir, DEFAULT_SYNC, DEFAULT_SYNC_INTERVAL, DEFAULT_CAPTURE_SAMPLE_RATE,
                DEFAULT_CAPTURE_QUOTA_BYTES, DEFAULT_CAPTURE_MAX_AGE);
    }
}
