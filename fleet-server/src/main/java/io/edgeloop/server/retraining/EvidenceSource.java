package io.edgeloop.server.retraining;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.retraining.policy.RetrainingEvidence;
import io.edgeloop.server.retraining.policy.RetrainingPolicy;

import java.time.Instant;

/** What a policy is judged on for one model at one instant ({@link EvidenceCollector} reads it from the stores). */
interface EvidenceSource {
    RetrainingEvidence collect(String model, RetrainingPolicy policy, Instant now) throws EdgeLoopException;
}
