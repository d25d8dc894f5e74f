package io.edgeloop.server.demo;

/** The {@code agent.yaml} every demo device runs with: local API, short drift windows, captures on. */
final class AgentConfig {
    /** Health reports this often, so rollout gates have evidence within a short soak. */
    static final int HEALTH_INTERVAL_SECONDS = 2;

    private AgentConfig() {
    }

    static String yaml(DemoSettings s) {
        return "http:\n  host: 127.0.0.1\n"
                + "drift:\n  windowSize: " + s.driftWindow() + "\n"
                + "buffer:\n  captureSampleRate: " + s.captureRate() + "\n";
    }
}
