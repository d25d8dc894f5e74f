package io.edgeloop.server.rollout.policy;

import java.time.Duration;

/**
 * What a wave given only by its percentage gets ({@link WavePlan#fromPercents}).
 *
 * @param successThreshold share of each wave's devices that must succeed, in [0, 1]
 * @param abort            abort criteria of each wave
 * @param soak             soak time of each wave, >= 0
 */
public record WaveDefaults(double successThreshold, AbortCriteria abort, Duration soak) {
    /** Every device of a wave succeeds, {@link AbortCriteria#DEFAULT}, no soak. */
    public static final WaveDefaults DEFAULT = new WaveDefaults(1.0, AbortCriteria.DEFAULT, Duration.ZERO);

    public WaveDefaults {
        // The same checks as a wave's; 100 stands in for the percentage it does not carry.
        new WaveSpec(100, successThreshold, abort, soak);
    }

    /** The wave reaching {@code percent} with these defaults. */
    public WaveSpec wave(int percent) {
        return new WaveSpec(percent, successThreshold, abort, soak);
    }
}
