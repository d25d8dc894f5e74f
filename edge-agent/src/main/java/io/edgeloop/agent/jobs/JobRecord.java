package io.edgeloop.agent.jobs;

import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One job as the agent keeps it in RocksDB ({@code job.<jobId>}): the document as it came (wire
 * JSON), where the execution stands, the version of its last update, and what a resumed run
 * must know. The download offset is kept beside it ({@code job-offset.<jobId>}), written after
 * every chunk, and so is a cancel or rollback that arrived for it ({@code job-stop.<jobId>}).
 *
 * @param document     the job document's wire JSON
 * @param model        the package (model) name
 * @param state        the state last reported
 * @param step         the step last reported (the one to resume), null before the first
 * @param version      the version of the last update sent (the first update is 1)
 * @param errorCode    why a terminal job did not succeed
 * @param details      the last update's status details
 * @param installed    the version this job installed into the store (not installed before it),
 *                     removed again if the job does not activate it
 * @param previous     the version active before this job activated its own
 */
record JobRecord(String jobId, long order, String document, String model, JobExecutionState state, JobStep step,
                 long version, ErrorCode errorCode, Map<String, String> details, String installed, String previous) {

    JobRecord {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    JobRecord withStep(JobExecutionState newState, JobStep newStep, long newVersion, ErrorCode code,
                       Map<String, String> newDetails) {
        return new JobRecord(jobId, order, document, model, newState, newStep, newVersion, code, newDetails, installed,
                previous);
    }

    JobRecord withInstalled(String installedVersion, String previousActive) {
        return new JobRecord(jobId, order, document, model, state, step, version, errorCode, details, installedVersion,
                previousActive);
    }

    boolean terminal() {
        return state.isTerminal();
    }

    /** The details of this record with {@code more} on top. */
    Map<String, String> detailsWith(Map<String, String> more) {
        Map<String, String> out = new LinkedHashMap<>(details);
        out.putAll(more);
        return out;
    }
}
