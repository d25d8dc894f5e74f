/**
 * Rollout policy as pure functions of their inputs: waves ({@link io.edgeloop.server.rollout.policy.WavePlan}),
 * notification rate ({@link io.edgeloop.server.rollout.policy.ExponentialRate}), abort criteria,
 * maintenance windows, retries and quality-gate verdicts. No JDBC, Vert.x or MQTT here, and no
 * clock: the rollout engine passes the time in, so each decision is reproducible from persisted state.
 */
package io.edgeloop.server.rollout.policy;
