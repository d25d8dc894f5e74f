package io.edgeloop.server.retraining.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the policy decides on, gathered by the service: the fleet's recent drift windows of the
 * model, what each deployed version is expected to reach, the captures per device since the
 * last retraining, and the retraining history.
 *
 * @param productionVersion    the registry's production version, or null when there is none
 * @param expectations         package version to its expected accuracy
 * @param captures             device to captures since the last retraining
 * @param labelled             device to labelled captures since the last retraining
 * @param lastRetrainingAt     when the last (not dry-run) retraining was decided, or null
 * @param retrainingInProgress the id of a decision still training, gating or rolling out, or null
 */
public record RetrainingEvidence(Instant now, Integer productionVersion, List<DriftWindowFacts> windows,
                                 Map<String, VersionExpectation> expectations, Map<String, Long> captures,
                                 Map<String, Long> labelled, Instant lastRetrainingAt, String retrainingInProgress) {
    public RetrainingEvidence {
        windows = List.copyOf(windows);
        expectations = Map.copyOf(expectations);
        captures = Map.copyOf(captures);
        labelled = Map.copyOf(labelled);
    }
}
