package io.edgeloop.agent.buffer;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.codec.CodecOptions;

import java.time.Duration;

/**
 * What the agent captures and whether it sends it to the fleet ({@code capture} in
 * {@code agent.yaml}). Where captures are kept and for how long is {@link BufferOptions}'s.
 *
 * @param sampleRate       fraction of requests whose inputs and outputs are captured, in [0, 1]
 *                         ({@code cmd/capture} changes it at run time)
 * @param upload           whether an agent with a fleet link uploads its captures and the labels
 *                         of its feedback endpoint to the server (without a link nothing is sent)
 * @param uploadInterval   how often captures not yet uploaded move into the telemetry outbox
 * @param uploadBatchBytes the largest encoded capture batch, under the 256 KiB message limit
 */
public record CaptureOptions(double sampleRate, boolean upload, Duration uploadInterval, int uploadBatchBytes) {
    public static final double DEFAULT_SAMPLE_RATE = 0.01;
    public static final boolean DEFAULT_UPLOAD = true;
    public static final Duration DEFAULT_UPLOAD_INTERVAL = Duration.ofSeconds(10);
    /** 240 KiB: room under the codec's 256 KiB for the header and an estimate's error. */
    public static final int DEFAULT_UPLOAD_BATCH_BYTES = 240 * 1024;
    /** The smallest batch limit: one 28×28 image and its fields. */
    public static final int MIN_UPLOAD_BATCH_BYTES = 8 * 1024;

    public static final CaptureOptions DEFAULT = new CaptureOptions(DEFAULT_SAMPLE_RATE, DEFAULT_UPLOAD,
            DEFAULT_UPLOAD_INTERVAL, DEFAULT_UPLOAD_BATCH_BYTES);

    public CaptureOptions {
        uploadInterval = uploadInterval == null ? DEFAULT_UPLOAD_INTERVAL : uploadInterval;
        uploadBatchBytes = uploadBatchBytes == 0 ? DEFAULT_UPLOAD_BATCH_BYTES : uploadBatchBytes;
    }

    public void validate(String section) throws EdgeLoopException {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".sampleRate must be in [0, 1], not "
                    + sampleRate);
        }
        if (uploadInterval.toMillis() < 100) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".uploadInterval must be at least PT0.1S,"
                    + " not " + uploadInterval);
        }
        if (uploadBatchBytes < MIN_UPLOAD_BATCH_BYTES || uploadBatchBytes > CodecOptions.DEFAULT_MAX_MESSAGE_BYTES) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, section + ".uploadBatchBytes must be in ["
                    + MIN_UPLOAD_BATCH_BYTES + ", " + CodecOptions.DEFAULT_MAX_MESSAGE_BYTES + "], not " + uploadBatchBytes);
        }
    }

    public CaptureOptions withSampleRate(double sampleRate) {
        return new CaptureOptions(sampleRate, upload, uploadInterval, uploadBatchBytes);
    }

    public CaptureOptions withUpload(boolean upload) {
        return new CaptureOptions(sampleRate, upload, uploadInterval, uploadBatchBytes);
    }

    public CaptureOptions withUploadInterval(Duration uploadInterval) {
        return new CaptureOptions(sampleRate, upload, uploadInterval, uploadBatchBytes);
    }

    public CaptureOptions withUploadBatchBytes(int uploadBatchBytes) {
        return new CaptureOptions(sampleRate, upload, uploadInterval, uploadBatchBytes);
    }
}
