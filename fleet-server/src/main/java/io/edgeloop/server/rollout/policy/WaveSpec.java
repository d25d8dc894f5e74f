package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;
import java.time.Duration;

/**
 * One wave of a rollout.
 *
 * @param percent          cumulative share of the target reached by the end of this wave, 1..100
 * @param successThreshold share of the wave's devices that must succeed before the next wave
 *                         starts, in [0, 1]
 * @param abort            when the wave aborts the rollout
 * @param soak             how long the wave's quality gate watches telemetry after the success
 *                         threshold is met, >= 0
 */
public record WaveSpec(int percent, double successThreshold, AbortCriteria abort, Duration soak) {
    public WaveSpec {
        PolicyChecks.between("percent", percent, 1, 100);
        PolicyChecks.between("successThreshold", successThreshold, 0, 1);
        PolicyChecks.present("abort", abort);
        PolicyChecks.present("soak", soak);
        if (soak.isNegative()) {
            throw new InvalidFieldException("soak", "must be >= 0, was " + soak);
        }
    }

    /**
     * Successes needed among {@code devicesInWave} devices: the threshold's share rounded up, so
     * 0.95 of 10 devices needs 10. A wave with no devices needs none.
     */
    public int requiredSuccesses(int devicesInWave) {
        PolicyChecks.atLeast("devicesInWave", devicesInWave, 0);
        // A small tolerance so that 0.7 * 10 (7.000000000000001) asks for 7, not 8.
        return (int) Math.min(devicesInWave, Math.ceil(successThreshold * devicesInWave - 1e-9));
    }

    /** Whether the wave's {@code counts} over {@code devicesInWave} devices meet the success threshold. */
    public boolean successMet(ExecutionCounts counts, int devicesInWave) {
        return PolicyChecks.present("counts", counts).succeeded() >= requiredSuccesses(devicesInWave);
    }
}
