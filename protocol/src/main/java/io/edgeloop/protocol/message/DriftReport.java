package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;
import java.time.Instant;
import java.util.List;

/**
 * The agent's drift statistics for one window of one model version, on {@code telemetry/drift}.
 * Each signal (input features, output margin, predicted classes) is tested at its own level, the
 * levels summing to {@code familyAlpha} (weighted Bonferroni), so {@code drifted} is a false alarm
 * with probability at most {@code familyAlpha} on a clean window, whatever its size.
 *
 * @param deviceId the reporting device
 * @param ts creation time
 * @param seq per-device sequence number
 * @param model the model version the window was served by
 * @param windowStart start of the window, inclusive
 * @param windowEnd end of the window, not before {@code windowStart}
 * @param samples requests in the window
 * @param features per-feature statistics; may be empty
 * @param output the predicted-class distribution's statistics
 * @param estimatedAccuracy accuracy estimated from prediction confidence, in [0, 1]; {@code null}
 *     for an empty window
 * @param liveAccuracy accuracy against arrived labels, or {@code null} when none arrived
 * @param drifted whether the window as a whole drifted
 * @param alpha the per-test significance level of the feature tests after Bonferroni correction,
 *     in (0, 1); each feature and the output also carry the {@code threshold} they were tested at
 * @param familyAlpha the family-wise level {@code alpha} was derived from, or {@code null} from
 *     older agents
 * @param estimate the accuracy estimate with its interval and range flag, or {@code null}
 *     (older agents, or no estimate)
 * @param summary one sentence saying what changed, or {@code null} from older agents
 */
public record DriftReport(String deviceId, Instant ts, long seq, ModelRef model, Instant windowStart,
                          Instant windowEnd, long samples, List<FeatureDrift> features, OutputDrift output,
                          Double estimatedAccuracy, LiveAccuracy liveAccuracy, boolean drifted, double alpha,
                          Double familyAlpha, AccuracyEstimate estimate, String summary)
        implements Message {
    /** Schema id of this record. */
    public static final String SCHEMA = "edgeloop.drift/1";

    public DriftReport {
        FieldChecks.header(deviceId, ts, seq);
        FieldChecks.present("model", model);
        FieldChecks.present("windowStart", windowStart);
        FieldChecks.present("windowEnd", windowEnd);
        if (windowEnd.isBefore(windowStart)) {
            throw new InvalidFieldException("windowEnd", "is before windowStart");
        }
        FieldChecks.nonNegative("samples", samples);
        features = FieldChecks.list("features", features);
        FieldChecks.present("output", output);
        FieldChecks.optionalUnit("estimatedAccuracy", estimatedAccuracy);
        FieldChecks.unit("alpha", alpha);
        if (alpha == 0 || alpha == 1) {
            throw new InvalidFieldException("alpha", "must be in (0, 1), was " + alpha);
        }
        FieldChecks.optionalUnit("familyAlpha", familyAlpha);
        FieldChecks.optionalText("summary", summary);
    }

    /** A report without the family-wise level, estimate details and summary (as older agents send it). */
    public DriftReport(String deviceId, Instant ts, long seq, ModelRef model, Instant windowStart, Instant windowEnd,
                       long samples, List<FeatureDrift> features, OutputDrift output, Double estimatedAccuracy,
                       LiveAccuracy liveAccuracy, boolean drifted, double alpha) {
        this(deviceId, ts, seq, model, windowStart, windowEnd, samples, features, output, estimatedAccuracy,
                liveAccuracy, drifted, alpha, null, null, null);
    }

    @Override
    public String schema() {
        return SCHEMA;
    }
}
