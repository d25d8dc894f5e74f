package io.edgeloop.server.training;

import io.edgeloop.server.tracking.RunRecord;

import java.nio.file.Path;

/**
 * The result of {@link TrainingPipeline#run}: the tracked record and where the exported model
 * and reports were written.
 */
public record TrainingRun(RunRecord record, Path outDir, Path modelOnnx, Path metricsJson, Path runJson) {

    public String id() {
        return record.id();
    }

    /** Test accuracy measured with DJL after training (NaN for regression). */
    public double testAccuracy() {
        Object v = record.metrics().get(TrainingReport.TEST_ACCURACY);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
