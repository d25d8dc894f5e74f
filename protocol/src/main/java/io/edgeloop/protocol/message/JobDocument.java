package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.job.JobValidation;
import io.edgeloop.protocol.topic.TopicSegments;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The server's job document on {@code jobs/notify}: install one package version on this device.
 * The agent downloads from {@code downloadUrl} (resuming with HTTP range requests), checks size
 * and sha256 before it trusts a byte, and reports progress as {@link JobExecutionUpdate}s.
 *
 * @param deviceId the device the job is for
 * @param ts creation time
 * @param seq per-device sequence number (server to agent)
 * @param jobId the job, unique per device; becomes a topic level
 * @param rolloutId the rollout this job belongs to
 * @param packageName model package name
 * @param packageVersion model package version
 * @param downloadUrl absolute {@code http} or {@code https} URL of the {@code .elpkg}
 * @param sha256 lowercase hex sha256 of the package file (upper case is accepted and lowered)
 * @param sizeBytes package file size, {@code > 0}
 * @param deadline when the job times out if not finished
 * @param shadow install as a shadow: run beside the active version, compare, do not serve
 * @param canary this device is in the rollout's canary wave
 * @param validation how the device checks the new version before it activates it; absent on
 *     the wire means {@link JobValidation#NONE}
 */
public record JobDocument(String deviceId, Instant ts, long seq, String jobId, String rolloutId,
                          String packageName, String packageVersion, String downloadUrl, String sha256,
                          long sizeBytes, Instant deadline, boolean shadow, boolean canary,
                          JobValidation validation) implements Message {
    /** Schema id of this record. */
    public static final String SCHEMA = "edgeloop.job/1";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public JobDocument {
        FieldChecks.header(deviceId, ts, seq);
        TopicSegments.require("jobId", jobId);
        FieldChecks.text("rolloutId", rolloutId);
        FieldChecks.text("packageName", packageName);
        FieldChecks.text("packageVersion", packageVersion);
        checkUrl(downloadUrl);
        FieldChecks.present("sha256", sha256);
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha256).matches()) {
            throw new InvalidFieldException("sha256", "must be 64 hex digits");
        }
        if (sizeBytes <= 0) {
            throw new InvalidFieldException("sizeBytes", "must be > 0, was " + sizeBytes);
        }
        FieldChecks.present("deadline", deadline);
        if (validation == null) {
            validation = JobValidation.NONE;
        }
    }

    /** A job without validation (activate once installed). */
    public JobDocument(String deviceId, Instant ts, long seq, String jobId, String rolloutId, String packageName,
                       String packageVersion, String downloadUrl, String sha256, long sizeBytes, Instant deadline,
                       boolean shadow, boolean canary) {
        this(deviceId, ts, seq, jobId, rolloutId, packageName, packageVersion, downloadUrl, sha256, sizeBytes,
                deadline, shadow, canary, JobValidation.NONE);
    }

    @Override
    public String schema() {
        return SCHEMA;
    }

    private static void checkUrl(String url) {
        FieldChecks.text("downloadUrl", url);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidFieldException("downloadUrl", "is not a URL: " + e.getReason());
        }
        // Only HTTP(S): a file: or jar: URL would let a job document read the device's own files.
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidFieldException("downloadUrl", "must be an http or https URL");
        }
        if (uri.getHost() == null) {
            throw new InvalidFieldException("downloadUrl", "has no host");
        }
    }
}
