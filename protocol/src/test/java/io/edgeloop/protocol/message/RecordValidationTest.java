package io.edgeloop.protocol.message;

import static io.edgeloop.protocol.SampleMessages.DEVICE;
import static io.edgeloop.protocol.SampleMessages.FP32;
import static io.edgeloop.protocol.SampleMessages.TS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.SampleMessages;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RecordValidationTest {
    private static void refuses(String field, Executable construction) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, construction);
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void headerIsCheckedOnEveryMessage() {
        refuses("seq", () -> new StatusMessage(DEVICE, TS, -1, true, null));
        refuses("deviceId", () -> new StatusMessage("a/b", TS, 0, true, null));
        refuses("deviceId", () -> new StatusMessage(null, TS, 0, true, null));
        refuses("ts", () -> new StatusMessage(DEVICE, null, 0, true, null));
        refuses("reason", () -> new StatusMessage(DEVICE, TS, 0, true, " "));
    }

    @Test
    void jobDocumentChecksIntegrityFields() {
        JobDocument ok = SampleMessages.job();
        refuses("sha256", () -> new JobDocument(DEVICE, TS, 0, "j", "r", "p", "1", ok.downloadUrl(), "abc", 1,
                TS, false, false));
        refuses("sizeBytes", () -> new JobDocument(DEVICE, TS, 0, "j", "r", "p", "1", ok.downloadUrl(), ok.sha256(),
                0, TS, false, false));
        refuses("downloadUrl", () -> new JobDocument(DEVICE, TS, 0, "j", "r", "p", "1", "file:///etc/passwd",
                ok.sha256(), 1, TS, false, false));
        refuses("downloadUrl", () -> new JobDocument(DEVICE, TS, 0, "j", "r", "p", "1", "http://", ok.sha256(), 1,
                TS, false, false));
        refuses("jobId", () -> new JobDocument(DEVICE, TS, 0, "j#", "r", "p", "1", ok.downloadUrl(), ok.sha256(), 1,
                TS, false, false));
        JobDocument upper = new JobDocument(DEVICE, TS, 0, "j", "r", "p", "1", ok.downloadUrl(),
                ok.sha256().toUpperCase(), 1, TS, false, false);
        assertEquals(ok.sha256(), upper.sha256());
    }

    @Test
    void jobUpdateKeepsStepAndErrorCodeConsistentWithState() {
        refuses("statusDetails.step", () -> new JobExecutionUpdate(DEVICE, TS, 0, "j", JobExecutionState.QUEUED,
                JobStep.DOWNLOADING, Map.of(), 0, null));
        refuses("statusDetails.errorCode", () -> new JobExecutionUpdate(DEVICE, TS, 0, "j",
                JobExecutionState.SUCCEEDED, null, Map.of(), 0, ErrorCode.INTERNAL));
        refuses("statusDetails", () -> new JobExecutionUpdate(DEVICE, TS, 0, "j", JobExecutionState.IN_PROGRESS,
                null, Map.of("step", "DOWNLOADING"), 0, null));
        refuses("version", () -> new JobExecutionUpdate(DEVICE, TS, 0, "j", JobExecutionState.IN_PROGRESS, null,
                Map.of(), -1, null));
        Map<String, String> withNull = new HashMap<>();
        withNull.put("k", null);
        refuses("statusDetails.k", () -> new JobExecutionUpdate(DEVICE, TS, 0, "j", JobExecutionState.IN_PROGRESS,
                null, withNull, 0, null));
    }

    @Test
    void statisticsStayInTheirRanges() {
        refuses("ksPValue", () -> new FeatureDrift("f", 0, 0, 1.5, false));
        refuses("psi", () -> new FeatureDrift("f", Double.NaN, 0, 0, false));
        refuses("psi", () -> new OutputDrift(-0.1, 0.5, false));
        refuses("labelledCount", () -> new LiveAccuracy(0.5, 0));
        refuses("errorCount", () -> new InferenceStats(1, 2, 3, 4, 10, 11));
        refuses("p99Micros", () -> new InferenceStats(1, 2, Double.POSITIVE_INFINITY, 4, 10, 1));
        refuses("agreementRate", () -> new ShadowStats(FP32, 1.01, 0, 0));
        refuses("cpuCores", () -> new HardwareSummary("Linux", "amd64", "cpu", 0, 0, List.of(), List.of()));
        refuses("alpha", () -> new DriftReport(DEVICE, TS, 0, FP32, TS, TS, 0, List.of(),
                new OutputDrift(0, 1, false), null, null, false, 0));
        refuses("windowEnd", () -> new DriftReport(DEVICE, TS, 0, FP32, TS, TS.minusSeconds(1), 0, List.of(),
                new OutputDrift(0, 1, false), null, null, false, 0.05));
        refuses("estimatedAccuracy", () -> new DriftReport(DEVICE, TS, 0, FP32, TS, TS, 0, List.of(),
                new OutputDrift(0, 1, false), 2.0, null, false, 0.05));
    }

    @Test
    void listsAreCopiedAndRefuseNullElements() {
        List<ModelRef> models = new ArrayList<>(List.of(FP32));
        HealthReport report = new HealthReport(DEVICE, TS, 0, new InferenceStats(0, 0, 0, 0, 0, 0),
                new ResourceUsage(0, 0, 0, 0), models, null);
        models.add(FP32);
        assertEquals(1, report.activeModels().size());
        assertThrows(UnsupportedOperationException.class, () -> report.activeModels().add(FP32));
        List<ModelRef> withNull = new ArrayList<>();
        withNull.add(null);
        refuses("activeModels[0]", () -> new HealthReport(DEVICE, TS, 0, new InferenceStats(0, 0, 0, 0, 0, 0),
                new ResourceUsage(0, 0, 0, 0), withNull, null));
        refuses("cpuFlags[0]", () -> new HardwareSummary("Linux", "amd64", "cpu", 1, 0, List.of(""), List.of()));
    }

    @Test
    void schemaIdsAreDistinct() {
        assertEquals(SampleMessages.all().stream().map(Message::getClass).distinct().count(),
                SampleMessages.all().stream().map(Message::schema).distinct().count());
    }
}
