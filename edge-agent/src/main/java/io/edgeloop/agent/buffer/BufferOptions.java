package io.edgeloop.agent.buffer;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.time.Duration;

/**
 * The agent's RocksDB database and what the capture buffer keeps ({@code buffer} in
 * {@code agent.yaml}); the database lives in {@code data-dir/db}. What is captured, and whether
 * it is uploaded, is {@link CaptureOptions}'s ({@code capture}).
 *
 * @param sync               WAL sync policy, see {@link SyncPolicy}
 * @param syncIntervalMillis how often the WAL is synced under {@link SyncPolicy#INTERVAL}
 * @param captureQuotaBytes  the capture buffer's size quota; beyond it the lowest-priority,
 *                           oldest records are evicted first; 0 in the agent's settings means the
 *                           device profile's
 * @param captureMaxAgeHours captures older than this are deleted by the retention sweep
 */
public record BufferOptions(SyncPolicy sync, long syncIntervalMillis, long captureQuotaBytes, long captureMaxAgeHours) {
    public static final SyncPolicy DEFAULT_SYNC = SyncPolicy.INTERVAL;
    public static final long DEFAULT_SYNC_INTERVAL_MILLIS = 1000;
    /** An agent setting of 0 takes the device profile's quota. */
    public static final long QUOTA_FROM_PROFILE = 0;
    public static final long DEFAULT_CAPTURE_QUOTA_BYTES = QUOTA_FROM_PROFILE;
    /** The quota when neither the settings nor the device profile name one. */
    public static final long FALLBACK_CAPTURE_QUOTA_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_CAPTURE_MAX_AGE_HOURS = 7 * 24;

    public static final BufferOptions DEFAULT = new BufferOptions(DEFAULT_SYNC, DEFAULT_SYNC_INTERVAL_MILLIS,
            DEFAULT_CAPTURE_QUOTA_BYTES, DEFAULT_CAPTURE_MAX_AGE_HOURS);

    public void validate(String section) throws EdgeLoopException {
        if (sync == null) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".sync must be ALWAYS, INTERVAL or NEVER");
        }
        if (syncIntervalMillis < 1) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".syncIntervalMillis must be positive, not "
                    + syncIntervalMillis);
        }
        if (captureQuotaBytes < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".captureQuotaBytes must not be negative (0 ="
                    + " the device profile's), not " + captureQuotaBytes);
        }
        if (captureMaxAgeHours < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".captureMaxAgeHours must not be negative, not "
                    + captureMaxAgeHours);
        }
    }

    /** These settings with the profile's quota (or the fallback) where they say {@link #QUOTA_FROM_PROFILE}. */
    public BufferOptions orProfileQuota(long profileQuotaBytes) {
        if (captureQuotaBytes > 0) {
            return this;
        }
        return withCaptureQuotaBytes(profileQuotaBytes > 0 ? profileQuotaBytes : FALLBACK_CAPTURE_QUOTA_BYTES);
    }

    public Duration syncInterval() {
        return Duration.ofMillis(syncIntervalMillis);
    }

    public Duration captureMaxAge() {
        return Duration.ofHours(captureMaxAgeHours);
    }

    public BufferOptions withSync(SyncPolicy sync) {
        return new BufferOptions(sync, syncIntervalMillis, captureQuotaBytes, captureMaxAgeHours);
    }

    public BufferOptions withSyncIntervalMillis(long syncIntervalMillis) {
        return new BufferOptions(sync, syncIntervalMillis, captureQuotaBytes, captureMaxAgeHours);
    }

    public BufferOptions withCaptureQuotaBytes(long captureQuotaBytes) {
        return new BufferOptions(sync, syncIntervalMillis, captureQuotaBytes, captureMaxAgeHours);
    }

    public BufferOptions withCaptureMaxAgeHours(long captureMaxAgeHours) {
        return new BufferOptions(sync, syncIntervalMillis, captureQuotaBytes, captureMaxAgeHours);
    }
}
