package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;
import java.util.ArrayList;
import java.util.List;

/**
 * The waves of a rollout, by cumulative percentage of the target: strictly increasing, each in
 * 1..100, the last 100.
 *
 * @param waves the waves in order
 */
public record WavePlan(List<WaveSpec> waves) {
    /** The most waves a plan may have. */
    public static final int MAX_WAVES = 100;

    public WavePlan {
        PolicyChecks.present("waves", waves);
        if (waves.isEmpty()) {
            throw new InvalidFieldException("waves", "needs at least one wave (the last at 100 %)");
        }
        if (waves.size() > MAX_WAVES) {
            throw new InvalidFieldException("waves", "has " + waves.size() + " waves; at most " + MAX_WAVES);
        }
        int previous = 0;
        for (int i = 0; i < waves.size(); i++) {
            WaveSpec wave = waves.get(i);
            if (wave == null) {
                throw new InvalidFieldException("waves[" + i + "]", "is missing");
            }
            if (wave.percent() <= previous) {
                throw new InvalidFieldException("waves[" + i + "].percent", "must be greater than the previous wave's "
                        + previous + " (percentages are cumulative), was " + wave.percent());
            }
            previous = wave.percent();
        }
        if (previous != 100) {
            throw new InvalidFieldException("waves[" + (waves.size() - 1) + "].percent",
                    "the last wave must reach 100, was " + previous);
        }
        waves = List.copyOf(waves);
    }

    /** A validated plan of {@code waves}. */
    public static WavePlan of(List<WaveSpec> waves) {
        return new WavePlan(waves);
    }

    /**
     * A plan from cumulative percentages such as {@code "10,50,100"}, each wave with
     * {@code defaults}.
     *
     * @throws InvalidFieldException naming {@code wavePercents} when the text is not a list of
     *     whole numbers, or naming the wave whose percentage is out of order
     */
    public static WavePlan fromPercents(String percents, WaveDefaults defaults) {
        PolicyChecks.present("wavePercents", percents);
        PolicyChecks.present("defaults", defaults);
        String[] parts = percents.split(",", -1);
        if (parts.length > MAX_WAVES) {
            throw new InvalidFieldException("wavePercents", "has " + parts.length + " waves; at most " + MAX_WAVES);
        }
        List<WaveSpec> waves = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            int percent;
            try {
                percent = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new InvalidFieldException("wavePercents", "'" + part + "' (item " + (i + 1)
                        + ") is not a whole percentage; write e.g. 10,50,100");
            }
            if (percent < 1 || percent > 100) {
                throw new InvalidFieldException("wavePercents", "item " + (i + 1) + " must be in 1..100, was " + percent);
            }
            waves.add(defaults.wave(percent));
        }
        return new WavePlan(waves);
    }

    /** {@link #fromPercents(String, WaveDefaults)} with {@link WaveDefaults#DEFAULT}. */
    public static WavePlan fromPercents(String percents) {
        return fromPercents(percents, WaveDefaults.DEFAULT);
    }

    /** The number of waves. */
    public int size() {
        return waves.size();
    }

    /** Wave {@code index} (0-based). */
    public WaveSpec wave(int index) {
        return waves.get(index);
    }

    /**
     * How many devices of a target of {@code fleetSize} have been notified by the end of each
     * wave: {@code ceil(percent * fleetSize / 100)}, raised so that each wave adds at least one
     * device while any are left, and never above {@code fleetSize}. The last entry is always
     * {@code fleetSize}. With 3 devices, {@code 10,50,100} gives {@code 1,2,3}; with 2 devices
     * {@code 10,20,30,100} gives {@code 1,2,2,2}.
     */
    public int[] cumulativeTargets(int fleetSize) {
        PolicyChecks.atLeast("fleetSize", fleetSize, 0);
        int[] targets = new int[waves.size()];
        int previous = 0;
        for (int i = 0; i < targets.length; i++) {
            long share = ((long) waves.get(i).percent() * fleetSize + 99) / 100;
            int target = (int) Math.min(fleetSize, Math.max(share, previous + 1L));
            targets[i] = target;
            previous = target;
        }
        return targets;
    }

    /** How many devices each wave adds: the differences of {@link #cumulativeTargets}. */
    public int[] waveSizes(int fleetSize) {
        int[] targets = cumulativeTargets(fleetSize);
        int[] sizes = new int[targets.length];
        for (int i = 0; i < targets.length; i++) {
            sizes[i] = targets[i] - (i == 0 ? 0 : targets[i - 1]);
        }
        return sizes;
    }

    /** The cumulative percentages, comma-separated as {@link #fromPercents} reads them. */
    public String percents() {
        StringBuilder text = new StringBuilder();
        for (WaveSpec wave : waves) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(wave.percent());
        }
        return text.toString();
    }
}
