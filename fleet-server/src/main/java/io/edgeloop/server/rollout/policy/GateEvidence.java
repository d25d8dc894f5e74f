package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;

/**
 * What the telemetry says about one model version on a set of devices, for {@link QualityGate}.
 * A {@code null} figure has not been reported (yet).
 *
 * @param requests          requests served
 * @param errors            requests that failed, <= {@code requests}
 * @param p95Millis         95th percentile latency in ms, >= 0
 * @param shadowAgreement   top-1 agreement with the previous version in shadow, in [0, 1]
 * @param estimatedAccuracy label-free accuracy estimate, in [0, 1]
 * @param driftScore        the drift figure the server aggregates (e.g. the share of drifted
 *                          windows), >= 0; compared only with the same figure of another version
 * @param devices           devices the figures come from
 */
public record GateEvidence(long requests, long errors, Double p95Millis, Double shadowAgreement,
                           Double estimatedAccuracy, Double driftScore, int devices) {
    /** Nothing reported. */
    public static final GateEvidence NONE = new GateEvidence(0, 0, null, null, null, null, 0);

    public GateEvidence {
        PolicyChecks.atLeast("requests", requests, 0);
        PolicyChecks.atLeast("errors", errors, 0);
        if (errors > requests) {
            throw new InvalidFieldException("errors", "must be <= requests (" + requests + "), was " + errors);
        }
        PolicyChecks.optionalBetween("p95Millis", p95Millis, 0, Double.MAX_VALUE);
        PolicyChecks.optionalBetween("shadowAgreement", shadowAgreement, 0, 1);
        PolicyChecks.optionalBetween("estimatedAccuracy", estimatedAccuracy, 0, 1);
        PolicyChecks.optionalBetween("driftScore", driftScore, 0, Double.MAX_VALUE);
        PolicyChecks.atLeast("devices", devices, 0);
    }

    /** errors / requests, NaN without requests. */
    public double errorRate() {
        return requests == 0 ? Double.NaN : (double) errors / requests;
    }
}
