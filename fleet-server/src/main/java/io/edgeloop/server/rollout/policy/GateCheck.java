package io.edgeloop.server.rollout.policy;

/**
 * One check of a {@link GateVerdict}.
 *
 * @param name     the check ({@code requests}, {@code errorRate}, {@code errorRateVsPrevious},
 *                 {@code p95Ratio}, {@code shadowAgreement}, {@code accuracyDrop}, {@code driftIncrease})
 * @param observed the figure measured, NaN while its evidence is missing
 * @param limit    the threshold it was held to
 * @param passed   whether it holds; false while waiting for evidence
 * @param detail   a sentence with the figures
 */
public record GateCheck(String name, double observed, double limit, boolean passed, String detail) {
    /**
     * The name of the check on the candidate's request count. It is a precondition, not a
     * quality: failing it means the gate waits ({@link #waiting}), never a breach.
     */
    public static final String REQUESTS = "requests";

    public GateCheck {
        PolicyChecks.present("name", name);
        PolicyChecks.present("detail", detail);
    }

    /** A check whose evidence is missing: neither passed nor breached. */
    static GateCheck waiting(String name, double limit, String detail) {
        return new GateCheck(name, Double.NaN, limit, false, detail);
    }

    /** Whether this check still waits for evidence: not passed, and no figure or too few requests. */
    public boolean waiting() {
        return !passed && (Double.isNaN(observed) || REQUESTS.equals(name));
    }

    /** Whether this check was judged and failed. */
    public boolean breached() {
        return !passed && !waiting();
    }
}
