package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.message.JobExecutionUpdate;

/**
 * JSON body of {@link JobExecutionUpdate}. The typed {@code step} and {@code errorCode} travel
 * inside {@code statusDetails}, beside the free-form entries.
 */
final class JobUpdateJson implements MessageMapping<JobExecutionUpdate> {
    private static final String DETAILS = "statusDetails";

    @Override
    public String schema() {
        return JobExecutionUpdate.SCHEMA;
    }

    @Override
    public Class<JobExecutionUpdate> type() {
        return JobExecutionUpdate.class;
    }

    @Override
    public void write(JobExecutionUpdate update, ObjectNode out) {
        out.put("jobId", update.jobId());
        out.put("state", update.state().name());
        ObjectNode details = out.putObject(DETAILS);
        if (update.step() != null) {
            details.put(JobExecutionUpdate.STEP_KEY, update.step().name());
        }
        if (update.errorCode() != null) {
            details.put(JobExecutionUpdate.ERROR_CODE_KEY, update.errorCode().name());
        }
        ValueJson.writeMap(update.statusDetails(), details);
        out.put("version", update.version());
    }

    @Override
    public JobExecutionUpdate read(Header header, JsonFields in) throws MessageFormatException {
        JsonFields details = in.optionalNested(DETAILS);
        JobStep step = details == null ? null : details.optionalEnum(JobExecutionUpdate.STEP_KEY, JobStep.class);
        ErrorCode errorCode = details == null ? null
                : details.optionalEnum(JobExecutionUpdate.ERROR_CODE_KEY, ErrorCode.class);
        return new JobExecutionUpdate(header.deviceId(), header.ts(), header.seq(), in.text("jobId"),
                in.enumValue("state", JobExecutionState.class), step,
                in.textMap(DETAILS, JobExecutionUpdate.STEP_KEY, JobExecutionUpdate.ERROR_CODE_KEY),
                in.longValue("version"), errorCode);
    }
}
