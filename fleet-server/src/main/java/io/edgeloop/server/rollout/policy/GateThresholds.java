package io.edgeloop.server.rollout.policy;

/**
 * The limits a wave's quality gate holds a candidate version to. A NaN limit switches its check
 * off; {@code minRequests} 0 judges from the first request.
 *
 * @param maxErrorRate       highest share of failed requests, in [0, 1]; the error rate is also
 *                           compared with the previous version's when both have enough requests
 * @param maxP95Ratio        highest candidate p95 latency / previous p95 latency on the same
 *                           devices, > 0
 * @param minShadowAgreement lowest top-1 agreement with the previous version in shadow, in [0, 1]
 * @param maxAccuracyDrop    largest drop of the label-free estimated accuracy against the
 *                           previous version, in [0, 1] (0.05 = 5 percentage points)
 * @param maxDriftIncrease   largest increase of the drift score against the previous version, >= 0
 * @param minRequests        requests the candidate must have served before it is judged, >= 0
 */
public record GateThresholds(double maxErrorRate, double maxP95Ratio, double minShadowAgreement,
                             double maxAccuracyDrop, double maxDriftIncrease, long minRequests) {
    /**
     * 2 % errors, p95 at most 1.5 times the previous version's, an estimated accuracy at most 5
     * points lower, a drift score at most 0.2 higher, judged after 100 requests. Shadow agreement
     * is off: it exists only when the rollout asks for shadow validation, and an enabled check
     * without evidence waits forever ({@link #withMinShadowAgreement} turns it on).
     */
    public static final GateThresholds DEFAULTS = new GateThresholds(0.02, 1.5, Double.NaN, 0.05, 0.2, 100);
    /** Every check off: the gate passes from the first request. */
    public static final GateThresholds OFF =
            new GateThresholds(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

    public GateThresholds {
        PolicyChecks.offOrBetween("maxErrorRate", maxErrorRate, 0, 1);
        PolicyChecks.offOrBetween("maxP95Ratio", maxP95Ratio, Double.MIN_VALUE, Double.MAX_VALUE);
        PolicyChecks.offOrBetween("minShadowAgreement", minShadowAgreement, 0, 1);
        PolicyChecks.offOrBetween("maxAccuracyDrop", maxAccuracyDrop, 0, 1);
        PolicyChecks.offOrBetween("maxDriftIncrease", maxDriftIncrease, 0, Double.MAX_VALUE);
        PolicyChecks.atLeast("minRequests", minRequests, 0);
    }

    /** These thresholds with the shadow agreement check at {@code minimum} (NaN = off). */
    public GateThresholds withMinShadowAgreement(double minimum) {
        return new GateThresholds(maxErrorRate, maxP95Ratio, minimum, maxAccuracyDrop, maxDriftIncrease, minRequests);
    }
}
