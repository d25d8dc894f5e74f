package io.edgeloop.server.registry;

/**
 * What the evaluation gate decided about a candidate, and on which figures: the candidate's and
 * production's value of {@code metric} on the same holdout set (identified by its sha256).
 *
 * @param productionVersion null when there was no production version to compare with
 * @param productionValue   NaN when there was no production version
 */
public record GateDecision(String modelName, int candidateVersion, Integer productionVersion, String metric,
                           double candidateValue, double productionValue, double tolerance, String holdoutSha256,
                           boolean passed, String reason, String decidedAt) {

    public String decision() {
        return passed ? "PROMOTE" : "REFUSE";
    }
}
