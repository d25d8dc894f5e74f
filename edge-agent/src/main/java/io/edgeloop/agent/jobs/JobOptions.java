package io.edgeloop.agent.jobs;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.time.Duration;

/**
 * Settings of the agent's job runner.
 *
 * @param chunkBytes       download checkpoint: the partial file is fsynced and its offset stored
 *                         after each chunk, so a crash fetches at most one chunk again
 * @param progressInterval at most one {@code bytesDownloaded} progress update per interval ...
 * @param progressFraction ... and only after at least this share of the package arrived since the last
 * @param retryMin         first back-off after a network error (doubling up to {@code retryMax})
 * @param retryMax         longest back-off; retries go on until the job's deadline
 * @param connectTimeout   HTTP connect timeout of one download attempt
 * @param readTimeout      HTTP read timeout: a stalled transfer is retried after this long
 * @param reserveBytes     free disk the agent leaves untouched beyond what a package needs
 * @param shadowPoll       how often the shadow validation looks at its comparison count
 * @param diskSpace        how free disk is measured
 */
public record JobOptions(int chunkBytes, Duration progressInterval, double progressFraction, Duration retryMin,
                         Duration retryMax, Duration connectTimeout, Duration readTimeout, long reserveBytes,
                         Duration shadowPoll, DiskSpace diskSpace) {
    public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_PROGRESS_FRACTION = 0.10;
    public static final Duration DEFAULT_RETRY_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);
    public static final long DEFAULT_RESERVE_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_SHADOW_POLL = Duration.ofMillis(50);

    public static final JobOptions DEFAULTS = new JobOptions(DEFAULT_CHUNK_BYTES, DEFAULT_PROGRESS_INTERVAL,
            DEFAULT_PROGRESS_FRACTION, DEFAULT_RETRY_MIN, DEFAULT_RETRY_MAX, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
            DEFAULT_RESERVE_BYTES, DEFAULT_SHADOW_POLL, DiskSpace.FILE_STORE);

    /** Checks every setting; names the first bad one. */
    public JobOptions validate() throws EdgeLoopException {
        check(chunkBytes >= 4096, "jobs.chunkBytes must be >= 4096, was " + chunkBytes);
        check(positive(progressInterval), "jobs.progressInterval must be > 0");
        check(progressFraction >= 0 && progressFraction <= 1, "jobs.progressFraction must be in [0, 1]");
        check(positive(retryMin) && positive(retryMax) && retryMin.compareTo(retryMax) <= 0,
                "jobs.retryMin and jobs.retryMax must be > 0 with retryMin <= retryMax");
        check(positive(connectTimeout) && positive(readTimeout), "jobs.connectTimeout and jobs.readTimeout must be > 0");
        check(reserveBytes >= 0, "jobs.reserveBytes must be >= 0");
        check(positive(shadowPoll), "jobs.shadowPoll must be > 0");
        check(diskSpace != null, "jobs.diskSpace must be set");
        return this;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void check(boolean ok, String message) throws EdgeLoopException {
        if (!ok) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, message);
        }
    }

    public JobOptions withChunkBytes(int bytes) {
        return new JobOptions(bytes, progressInterval, progressFraction, retryMin, retryMax, connectTimeout, readTimeout,
                reserveBytes, shadowPoll, diskSpace);
    }

    public JobOptions withRetry(Duration min, Duration max) {
        return new JobOptions(chunkBytes, progressInterval, progressFraction, min, max, connectTimeout, readTimeout,
                reserveBytes, shadowPoll, diskSpace);
    }

    public JobOptions withTimeouts(Duration connect, Duration read) {
        return new JobOptions(chunkBytes, progressInterval, progressFraction, retryMin, retryMax, connect, read,
                reserveBytes, shadowPoll, diskSpace);
    }

    public JobOptions withReserveBytes(long bytes) {
        return new JobOptions(chunkBytes, progressInterval, progressFraction, retryMin, retryMax, connectTimeout, readTimeout,
                bytes, shadowPoll, diskSpace);
    }

    public JobOptions withDiskSpace(DiskSpace disk) {
        return new JobOptions(chunkBytes, progressInterval, progressFraction, retryMin, retryMax, connectTimeout, readTimeout,
                reserveBytes, shadowPoll, disk);
    }
}
