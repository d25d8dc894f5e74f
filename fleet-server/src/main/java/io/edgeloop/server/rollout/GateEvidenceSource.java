package io.edgeloop.server.rollout;

import io.edgeloop.server.rollout.policy.GateEvidence;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Where a quality gate's figures come from: telemetry of the devices that took the candidate
 * version, and of the same devices on the version they ran before.
 */
interface GateEvidenceSource {
    /** Candidate and previous evidence. */
    record Evidence(GateEvidence candidate, GateEvidence previous) {
    }

    /**
     * @param took executions that took the version (SUCCEEDED), each naming its device, the time it
     *     activated and the version it left
     * @param targets every device of the rollout (shadow comparisons happen before activation)
     * @param sinceMs when the rollout started
     */
    Evidence gather(Connection c, String model, String candidateVersion, List<Execution> took, List<String> targets,
                    long sinceMs) throws SQLException;
}
