package io.edgeloop.agent.link;

import java.time.Duration;

/**
 * How the agent's MQTT link behaves.
 *
 * @param maxInFlight outbox messages published and not yet acknowledged, at most
 * @param pumpInterval how often the outbox is checked for new messages (acks and connects also
 *     trigger a check)
 * @param maxReconnectDelay the longest wait between reconnect attempts (Paho doubles from 1 s)
 * @param keepAlive MQTT keep-alive; the broker publishes the last will after 1.5 times this
 */
public record LinkOptions(int maxInFlight, Duration pumpInterval, Duration maxReconnectDelay, Duration keepAlive) {
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    public static final Duration DEFAULT_PUMP_INTERVAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    public static final LinkOptions DEFAULTS = new LinkOptions(DEFAULT_MAX_IN_FLIGHT, DEFAULT_PUMP_INTERVAL,
            DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_KEEP_ALIVE);

    public LinkOptions {
        if (maxInFlight < 1 || maxInFlight > 60_000) {
            throw new IllegalArgumentException("maxInFlight must be in 1..60000, was " + maxInFlight);
        }
        if (pumpInterval.toMillis() < 1 || maxReconnectDelay.toMillis() < 1000 || keepAlive.toSeconds() < 1) {
            throw new IllegalArgumentException("pump interval >= 1 ms, reconnect delay >= 1 s and keep-alive >= 1 s");
        }
    }

    public LinkOptions withMaxReconnectDelay(Duration d) {
        return new LinkOptions(maxInFlight, pumpInterval, d, keepAlive);
    }

    public LinkOptions withMaxInFlight(int n) {
        return new LinkOptions(n, pumpInterval, maxReconnectDelay, keepAlive);
    }
}
