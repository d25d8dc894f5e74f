package io.edgeloop.protocol.message;

import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.topic.TopicSegments;
import java.time.Instant;
import java.util.Map;

/**
 * The agent's report on {@code jobs/{jobId}/update}: the execution's state, the step it is in,
 * free-form details, and a {@code version} that grows by one with each update of this execution
 * so the server keeps the newest and ignores replays.
 *
 * <p>On the wire {@code step} and {@code errorCode} travel inside {@code statusDetails} (as
 * {@code statusDetails.step} and {@code statusDetails.errorCode}, the AWS IoT Jobs habit); here
 * they are typed fields and {@link #statusDetails()} holds only the other entries.
 *
 * @param deviceId the reporting device
 * @param ts creation time
 * @param seq per-device sequence number
 * @param jobId the job this execution belongs to
 * @param state the execution state
 * @param step the current or failing step; {@code null} before work starts, never with {@code QUEUED}
 * @param statusDetails further details (e.g. {@code bytesDownloaded}); keys {@code step} and
 *     {@code errorCode} are reserved
 * @param version per-execution update counter, {@code >= 0}, increasing
 * @param errorCode why the job did not succeed; only with {@code FAILED}, {@code REJECTED},
 *     {@code TIMED_OUT}, {@code CANCELED} or {@code ROLLED_BACK}
 */
public record JobExecutionUpdate(String deviceId, Instant ts, long seq, String jobId, JobExecutionState state,
                                 JobStep step, Map<String, String> statusDetails, long version,
                                 ErrorCode errorCode) implements Message {
    /** Schema id of this record. */
    public static final String SCHEMA = "edgeloop.job-update/1";
    /** Key of the step inside {@code statusDetails} on the wire. */
    public static final String STEP_KEY = "step";
    /** Key of the error code inside {@code statusDetails} on the wire. */
    public static final String ERROR_CODE_KEY = "errorCode";

    public JobExecutionUpdate {
        FieldChecks.header(deviceId, ts, seq);
        TopicSegments.require("jobId", jobId);
        FieldChecks.present("state", state);
        statusDetails = FieldChecks.textMap("statusDetails", statusDetails);
        if (statusDetails.containsKey(STEP_KEY) || statusDetails.containsKey(ERROR_CODE_KEY)) {
            throw new InvalidFieldException("statusDetails",
                    "must not hold the reserved keys '" + STEP_KEY + "' or '" + ERROR_CODE_KEY + "'");
        }
        FieldChecks.nonNegative("version", version);
        // Field names are wire paths, so a codec error points where the value sits in the JSON.
        if (step != null && state == JobExecutionState.QUEUED) {
            throw new InvalidFieldException("statusDetails." + STEP_KEY, "must be absent while " + state);
        }
        if (errorCode != null && (state == JobExecutionState.QUEUED || state == JobExecutionState.IN_PROGRESS
                || state == JobExecutionState.SUCCEEDED)) {
            throw new InvalidFieldException("statusDetails." + ERROR_CODE_KEY, "must be absent while " + state);
        }
    }

    @Override
    public String schema() {
        return SCHEMA;
    }
}
