package io.edgeloop.server.retraining;

import io.edgeloop.server.retraining.policy.RetrainingPolicy;

/**
 * Carries out one RETRAIN decision the service recorded as TRAINING ({@link RetrainingJob}); it
 * records its own outcome and returns when its part is over (ended, or handed to the rollout).
 */
interface RetrainingRunner {
    void run(StoredDecision d, RetrainingPolicy policy);
}
