package io.edgeloop.server.demo;

import java.time.Duration;

/**
 * The demo's knobs, with the named defaults that keep the whole loop under 10 minutes on 2 cores:
 * short drift windows, a small soak, few epochs. Validated once, when the command starts.
 *
 * @param agents          agent processes (devices) in the fleet
 * @param shifted         how many of them get the new camera (the last ones)
 * @param requestsPerSecond inference requests per second and device
 * @param driftWindow     samples per drift window on the agents
 * @param captureRate     share of requests the agents capture for retraining
 * @param labelFraction   share of requests the annotator labels (through the agents' feedback endpoint)
 * @param labelDelay      how long after a request its label arrives
 * @param epochs          training epochs of v1 and of the retrained version
 * @param soakSeconds     soak of each rollout wave
 * @param minLabels       labelled captures the retraining policy needs
 * @param minSamples      captures the retraining policy needs
 * @param stageTimeout    longest wait of one stage for the fleet
 */
public record DemoSettings(int agents, int shifted, int requestsPerSecond, int driftWindow, double captureRate,
                           double labelFraction, Duration labelDelay, int epochs, int soakSeconds, int minLabels,
                           int minSamples, Duration stageTimeout) {
    public static final int DEFAULT_AGENTS = 5;
    public static final int DEFAULT_SHIFTED = 2;
    public static final int DEFAULT_REQUESTS_PER_SECOND = 25;
    public static final int DEFAULT_DRIFT_WINDOW = 250;
    public static final double DEFAULT_CAPTURE_RATE = 0.5;
    public static final double DEFAULT_LABEL_FRACTION = 0.5;
    public static final Duration DEFAULT_LABEL_DELAY = Duration.ofSeconds(2);
    public static final int DEFAULT_EPOCHS = 2;
    public static final int DEFAULT_SOAK_SECONDS = 5;
    public static final int DEFAULT_MIN_LABELS = 1200;
    public static final int DEFAULT_MIN_SAMPLES = 2400;
    public static final Duration DEFAULT_STAGE_TIMEOUT = Duration.ofMinutes(4);

    public static final DemoSettings DEFAULT = new DemoSettings(DEFAULT_AGENTS, DEFAULT_SHIFTED,
            DEFAULT_REQUESTS_PER_SECOND, DEFAULT_DRIFT_WINDOW, DEFAULT_CAPTURE_RATE, DEFAULT_LABEL_FRACTION,
            DEFAULT_LABEL_DELAY, DEFAULT_EPOCHS, DEFAULT_SOAK_SECONDS, DEFAULT_MIN_LABELS, DEFAULT_MIN_SAMPLES,
            DEFAULT_STAGE_TIMEOUT);

    public DemoSettings {
        if (agents < 2 || shifted < 1 || shifted >= agents) {
            throw new IllegalArgumentException("the demo needs at least one shifted and one clean device (agents "
                    + agents + ", shifted " + shifted + ")");
        }
        if (requestsPerSecond < 1 || driftWindow < 50 || epochs < 1 || soakSeconds < 0 || minLabels < 1
                || minSamples < 1) {
            throw new IllegalArgumentException("requests per second, epochs, labels and samples must be positive and"
                    + " the drift window at least 50");
        }
        if (!(captureRate > 0 && captureRate <= 1) || !(labelFraction > 0 && labelFraction <= 1)) {
            throw new IllegalArgumentException("capture rate and label fraction must be in (0, 1]");
        }
    }

    /** Whether device {@code index} (0-based) gets the new camera. */
    public boolean isShifted(int index) {
        return index >= agents - shifted;
    }

    public static String deviceId(int index) {
        return "cam-" + (index + 1);
    }
}
