package io.edgeloop.agent.health;

import java.util.concurrent.atomic.LongAdder;

/** How a shadowed candidate compares with the active version: agreement and latency delta. */
public final class ShadowStats {
    private final LongAdder compared = new LongAdder();
    private final LongAdder agreed = new LongAdder();
    private final LongAdder deltaNanos = new LongAdder();

    /** Records one request both versions answered. */
    public void record(boolean sameTopClass, long activeNanos, long shadowNanos) {
        compared.increment();
        if (sameTopClass) {
            agreed.increment();
        }
        deltaNanos.add(shadowNanos - activeNanos);
    }

    public long compared() {
        return compared.sum();
    }

    /** Requests on which both versions gave the same top class. */
    public long agreed() {
        return agreed.sum();
    }

    public double agreement() {
        long n = compared.sum();
        return n == 0 ? Double.NaN : (double) agreed.sum() / n;
    }

    public double latencyDeltaMs() {
        long n = compared.sum();
        return n == 0 ? Double.NaN : deltaNanos.sum() / 1e6 / n;
    }
}
