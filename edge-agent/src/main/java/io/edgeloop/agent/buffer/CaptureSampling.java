package io.edgeloop.agent.buffer;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which requests are captured: on or off, and the sampling rate. It starts from
 * {@code capture.sampleRate}; {@code cmd/capture} changes it at run time, and the change is kept
 * in the agent's state, so a device the fleet switched off stays off across restarts until the
 * fleet switches it on again (the fleet, not the file, owns a managed device's capture).
 */
public final class CaptureSampling {
    static final String ENABLED_KEY = "capture.enabled";
    static final String RATE_KEY = "capture.sample-rate";

    private final AgentState state;
    private volatile boolean enabled;
    private volatile double rate;

    public CaptureSampling(AgentState state, double configuredRate) throws EdgeLoopException {
        this.state = state;
        this.enabled = state.get(ENABLED_KEY).map(Boolean::parseBoolean).orElse(true);
        this.rate = state.get(RATE_KEY).map(Double::parseDouble).orElse(configuredRate);
    }

    /** Whether this request should be captured. */
    public boolean sample() {
        if (!enabled) {
            return false;
        }
        double r = rate;
        return r >= 1 || (r > 0 && ThreadLocalRandom.current().nextDouble() < r);
    }

    public boolean enabled() {
        return enabled;
    }

    public double rate() {
        return rate;
    }

    /**
     * Switches capture on or off and, when {@code newRate} is not null, sets the rate; durable
     * once this returns.
     *
     * @throws EdgeLoopException INVALID_ARGUMENT for a rate outside [0, 1]; STORAGE_FAILED
     */
    public synchronized void set(boolean on, Double newRate) throws EdgeLoopException {
        if (newRate != null && !(newRate >= 0 && newRate <= 1)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "sampleRate must be in [0, 1], not " + newRate);
        }
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put(ENABLED_KEY, Boolean.toString(on));
        if (newRate != null) {
            changes.put(RATE_KEY, Double.toString(newRate));
        }
        state.putAll(changes);
        enabled = on;
        if (newRate != null) {
            rate = newRate;
        }
    }
}
