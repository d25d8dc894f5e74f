package io.edgeloop.server.demo;

/** The {@code agent.yaml} every demo device runs with: local API, short drift windows, captures on. */
final class AgentConfig {
    /** Health reports this often, so rollout gates have evidence within a short soak. */
    static final int HEALTH_INTERVAL_SECONDS = 2;
    /** Captures move to the outbox this often, so the server's counts follow the traffic closely. */
    static final String UPLOAD_INTERVAL = "PT2S";

    private AgentConfig() {
    }

    static String yaml(DemoSettings s) {
        return "http:\n  host: 127.0.0.1\n"
                + "drift:\n  windowSize: " + s.driftWindow() + "\n"
                + "capture:\n  sampleRate: " + s.captureRate() + "\n  upload: true\n  uploadInterval: "
                + UPLOAD_INTERVAL + "\n";
    }
}
