package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.job.JobValidation;
import io.edgeloop.protocol.message.JobDocument;

/**
 * JSON body of {@link JobDocument}; {@code shadow} and {@code canary} default to false, and an
 * absent {@code validation} object means none.
 */
final class JobDocumentJson implements MessageMapping<JobDocument> {
    @Override
    public String schema() {
        return JobDocument.SCHEMA;
    }

    @Override
    public Class<JobDocument> type() {
        return JobDocument.class;
    }

    @Override
    public void write(JobDocument job, ObjectNode out) {
        out.put("jobId", job.jobId());
        out.put("rolloutId", job.rolloutId());
        out.put("packageName", job.packageName());
        out.put("packageVersion", job.packageVersion());
        out.put("downloadUrl", job.downloadUrl());
        out.put("sha256", job.sha256());
        out.put("sizeBytes", job.sizeBytes());
        out.put("deadline", job.deadline().toString());
        out.put("shadow", job.shadow());
        out.put("canary", job.canary());
        if (job.validation().mode() != JobValidation.Mode.NONE) {
            ObjectNode validation = out.putObject("validation");
            validation.put("mode", job.validation().mode().name());
            validation.put("samples", job.validation().samples());
            validation.put("minAgreement", job.validation().minAgreement());
        }
    }

    @Override
    public JobDocument read(Header header, JsonFields in) throws MessageFormatException {
        return new JobDocument(header.deviceId(), header.ts(), header.seq(), in.text("jobId"),
                in.text("rolloutId"), in.text("packageName"), in.text("packageVersion"), in.text("downloadUrl"),
                in.text("sha256"), in.longValue("sizeBytes"), in.instant("deadline"),
                in.optionalBool("shadow", false), in.optionalBool("canary", false),
                in.optionalObject("validation", JobDocumentJson::readValidation));
    }

    private static JobValidation readValidation(JsonFields in) throws MessageFormatException {
        return new JobValidation(in.enumValue("mode", JobValidation.Mode.class), in.intValue("samples"),
                in.doubleValue("minAgreement"));
    }
}
