package io.edgeloop.server.rollout;

import io.edgeloop.protocol.job.RolloutState;

/**
 * One row of {@code rollouts}, as the engine reads and changes it inside one transaction; written
 * back with {@link RolloutStore#update}, which checks {@link #version} (optimistic locking).
 */
final class RolloutRow {
    String id;
    /** Creation order (identity). */
    long seq;
    String packageName;
    String packageVersion;
    String definitionJson;
    RolloutDefinition definition;
    RolloutState state;
    RolloutState endState;
    String endReason;
    int priority;
    int currentWave;
    long createdMs;
    String createdBy;
    Long approvedMs;
    String approvedBy;
    Long startedMs;
    Long endedMs;
    Long breachMs;
    Long haltedMs;
    Long rolledBackMs;
    Long gateMs;
    String gateJson;
    long rateWindowMs;
    int rateWindowN;
    long version;
}
