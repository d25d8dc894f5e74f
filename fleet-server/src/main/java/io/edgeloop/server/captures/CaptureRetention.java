package io.edgeloop.server.captures;

import java.time.Duration;

/**
 * How long and how much of the fleet's captures the server keeps: captures older than
 * {@code maxAge} are deleted; past {@code deviceQuotaBytes} of one device's inputs, or
 * {@code totalQuotaBytes} of everyone's, the oldest go first, unlabelled ones before labelled ones.
 * A quota of 0 is no quota. Labels that wait for their capture longer than {@code maxAge} expire.
 *
 * @param maxAge           how long a capture is kept (by its capture time)
 * @param deviceQuotaBytes most input bytes kept per device; 0: no limit
 * @param totalQuotaBytes  most input bytes kept of all devices together; 0: no limit
 */
public record CaptureRetention(Duration maxAge, long deviceQuotaBytes, long totalQuotaBytes) {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);
    /** 512 MiB a device: about 170,000 Fashion-MNIST images (3,136 bytes each). */
    public static final long DEFAULT_DEVICE_QUOTA_BYTES = 512L << 20;
    /** 8 GiB in all. */
    public static final long DEFAULT_TOTAL_QUOTA_BYTES = 8L << 30;

    public CaptureRetention {
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("--capture-max-age must be a positive ISO-8601 duration such as P30D, was "
                    + maxAge);
        }
        if (deviceQuotaBytes < 0 || totalQuotaBytes < 0) {
            throw new IllegalArgumentException("capture quotas must be >= 0 bytes (0 = no limit), were " + deviceQuotaBytes
                    + " and " + totalQuotaBytes);
        }
    }

    public static CaptureRetention defaults() {
        return new CaptureRetention(DEFAULT_MAX_AGE, DEFAULT_DEVICE_QUOTA_BYTES, DEFAULT_TOTAL_QUOTA_BYTES);
    }

    /** The maximum age in ISO-8601 as it is usually given: {@code P30D} rather than {@code PT720H}. */
    public String maxAgeText() {
        long days = maxAge.toDays();
        return maxAge.equals(Duration.ofDays(days)) ? "P" + days + "D" : maxAge.toString();
    }

    /** Whether any quota is set (so inserts are followed by a quota check). */
    public boolean hasQuota() {
        return deviceQuotaBytes > 0 || totalQuotaBytes > 0;
    }
}
