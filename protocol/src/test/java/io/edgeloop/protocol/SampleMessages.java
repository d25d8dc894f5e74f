package io.edgeloop.protocol;

import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.job.JobValidation;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.FeatureDrift;
import io.edgeloop.protocol.message.HardwareSummary;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.InferenceStats;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.LiveAccuracy;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.message.ModelRef;
import io.edgeloop.protocol.message.OutputDrift;
import io.edgeloop.protocol.message.ResourceUsage;
import io.edgeloop.protocol.message.SampleLabel;
import io.edgeloop.protocol.message.ShadowStats;
import io.edgeloop.protocol.message.StatusMessage;
import io.edgeloop.protocol.topic.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Valid messages of every type, shared by the protocol tests. */
public final class SampleMessages {
    public static final String DEVICE = "gw-berlin-07";
    public static final Instant TS = Instant.parse("2026-11-26T05:00:00.123456789Z");
    public static final ModelRef FP32 = new ModelRef("fashion-cnn", "1.2.0", "fp32");
    public static final ModelRef INT8 = new ModelRef("fashion-cnn", "1.3.0", "int8");

    private SampleMessages() {
    }

    public static BirthMessage birth() {
        return new BirthMessage(DEVICE, TS, 0, "x86-avx512-vnni",
                new HardwareSummary("Linux", "amd64", "Intel Xeon Platinum 8480+", 16, 68_719_476_736L,
                        List.of("avx2", "avx512f", "avx512_vnni"), List.of()),
                "0.1.0", List.of(FP32, new ModelRef("mlp", "0.9.1", "int8")));
    }

    public static StatusMessage status() {
        return new StatusMessage(DEVICE, TS, 1, false, "connection lost");
    }

    public static JobDocument job() {
        return new JobDocument(DEVICE, TS, 2, "job-42", "rollout-7", "fashion-cnn", "1.3.0",
                "https://fleet.example:8443/v1/packages/fashion-cnn/1.3.0/download",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 1_234_567,
                TS.plusSeconds(3600), false, true);
    }

    public static JobDocument validatedJob() {
        JobDocument job = job();
        return new JobDocument(DEVICE, TS, 5, "job-43", job.rolloutId(), job.packageName(), "1.4.0",
                job.downloadUrl(), job.sha256(), job.sizeBytes(), job.deadline(), false, false,
                new JobValidation(JobValidation.Mode.SHADOW, 200, 0.95));
    }

    public static JobExecutionUpdate update() {
        return new JobExecutionUpdate(DEVICE, TS, 3, "job-42", JobExecutionState.IN_PROGRESS, JobStep.DOWNLOADING,
                Map.of("bytesDownloaded", "524288", "attempt", "2"), 4, null);
    }

    public static JobExecutionUpdate failedUpdate() {
        return new JobExecutionUpdate(DEVICE, TS, 4, "job-42", JobExecutionState.FAILED, JobStep.VERIFYING,
                Map.of("detail", "sha256 differs"), 5, ErrorCode.PACKAGE_HASH_MISMATCH);
    }

    public static HealthReport health() {
        return new HealthReport(DEVICE, TS, 5, new InferenceStats(812.5, 1450.0, 2210.25, 95.3, 10_000, 12),
                new ResourceUsage(37.5, 512_000_000L, 40_000_000_000L, 86_400), List.of(FP32),
                new ShadowStats(INT8, 0.987, -120.5, 4_000));
    }

    public static HealthReport healthWithoutShadow() {
        return new HealthReport(DEVICE, TS, 6, new InferenceStats(0, 0, 0, 0, 0, 0),
                new ResourceUsage(0, 0, 0, 0), List.of(), null);
    }

    public static DriftReport drift() {
        return new DriftReport(DEVICE, TS, 7, FP32, TS.minusSeconds(600), TS, 5_000,
                List.of(new FeatureDrift("mean_intensity", 0.31, 0.12, 0.0001, true),
                        new FeatureDrift("edge_density", 0.02, 0.03, 0.6, false)),
                new OutputDrift(0.18, 0.002, true), 0.81, new LiveAccuracy(0.78, 250), true, 0.05 / 3);
    }

    public static DriftReport driftWithoutAccuracy() {
        return new DriftReport(DEVICE, TS, 8, FP32, TS, TS, 0, List.of(), new OutputDrift(0, 1, false), null, null,
                false, 0.01);
    }

    public static Command command() {
        return new Command(DEVICE, TS, 9, CommandName.CAPTURE, Map.of("enabled", "true", "sampleRate", "0.05"));
    }

    /** Two small captures, one labelled before upload; inputs hold values float32 keeps exactly and not. */
    public static CaptureBatch captures() {
        return new CaptureBatch(DEVICE, TS, 10, List.of(
                new CapturedSample("req-1", "fashion-cnn", "1.2.0", 1_764_133_200_123L, 3, 0.8125f,
                        new long[] {1, 2, 3}, new float[] {0f, 0.1f, -1.5f, 1e-30f, 3.4e38f, 0.33333334f}, null),
                new CapturedSample("req-2", "fashion-cnn", "1.2.0", 1_764_133_200_456L, 0, 0.1f,
                        new long[] {2}, new float[] {1f, -0f}, 7)));
    }

    public static LabelBatch labels() {
        return new LabelBatch(DEVICE, TS, 11, List.of(
                new SampleLabel("req-1", "fashion-cnn", 3, 1_764_133_260_000L, SampleLabel.FEEDBACK),
                new SampleLabel("req-0", "fashion-cnn", 9, 1_764_133_261_000L, SampleLabel.FEEDBACK)));
    }

    /** One or two of every message type, covering present and absent optional fields. */
    public static List<Message> all() {
        return List.of(birth(), status(), job(), validatedJob(), update(), failedUpdate(), health(), healthWithoutShadow(), drift(),
                driftWithoutAccuracy(), command(), captures(), labels());
    }

    /** The topic each sample travels on. */
    public static String topicOf(Message message) {
        if (message instanceof BirthMessage m) {
            return Topics.birth(m.deviceId());
        } else if (message instanceof StatusMessage m) {
            return Topics.status(m.deviceId());
        } else if (message instanceof JobDocument m) {
            return Topics.jobNotify(m.deviceId());
        } else if (message instanceof JobExecutionUpdate m) {
            return Topics.jobUpdate(m.deviceId(), m.jobId());
        } else if (message instanceof HealthReport m) {
            return Topics.health(m.deviceId());
        } else if (message instanceof DriftReport m) {
            return Topics.drift(m.deviceId());
        } else if (message instanceof CaptureBatch m) {
            return Topics.captures(m.deviceId());
        } else if (message instanceof LabelBatch m) {
            return Topics.labels(m.deviceId());
        } else if (message instanceof Command m) {
            return Topics.command(m.deviceId(), m.name().wireName());
        }
        throw new AssertionError("no topic for " + message);
    }
}
