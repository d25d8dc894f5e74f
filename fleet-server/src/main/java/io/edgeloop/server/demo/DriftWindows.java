package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.fleet.FleetClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The drift windows a device reported, as the server stored them ({@code GET
 * /api/v1/devices/{id}/telemetry?stream=drift}), and what the demo reads off them.
 */
final class DriftWindows {
    static final int LIMIT = 1000;

    /** One window's verdict and figures. */
    record Window(String deviceId, String version, long startMillis, boolean drifted, boolean outputDrifted,
                  long inputDrifted, String topFeature, double topFeatureKs, double outputPsi, double estimatedAccuracy,
                  double liveAccuracy) {
    }

    /** Windows of many devices or versions taken together. */
    record Stats(int windows, int drifted, int outputDrifted, double meanOutputPsi, double meanTopFeatureKs,
                 double meanEstimatedAccuracy, double meanLiveAccuracy) {
        static Stats of(List<Window> windows) {
            return new Stats(windows.size(), (int) windows.stream().filter(Window::drifted).count(),
                    (int) windows.stream().filter(Window::outputDrifted).count(),
                    mean(windows.stream().mapToDouble(Window::outputPsi).toArray()),
                    mean(windows.stream().mapToDouble(Window::topFeatureKs).toArray()),
                    mean(windows.stream().mapToDouble(Window::estimatedAccuracy).toArray()),
                    mean(windows.stream().mapToDouble(Window::liveAccuracy).toArray()));
        }

        String driftedShare() {
            return drifted + "/" + windows;
        }

        private static double mean(double[] values) {
            double sum = 0;
            int n = 0;
            for (double v : values) {
                if (!Double.isNaN(v)) {
                    sum += v;
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }
    }

    private DriftWindows() {
    }

    /** Windows of {@code deviceId} that began at or after {@code sinceMillis} on {@code version} (null: any), oldest first. */
    static List<Window> read(FleetClient rest, String deviceId, String version, long sinceMillis) throws Exception {
        JsonNode items = rest.get(FleetClient.query("/devices/" + deviceId + "/telemetry", Map.of("stream", "drift",
                "since", Instant.ofEpochMilli(sinceMillis).toString(), "limit", String.valueOf(LIMIT)))).path("items");
        List<Window> out = new ArrayList<>();
        for (JsonNode item : items) {
            Window w = window(deviceId, item.path("message"));
            if (w.startMillis() >= sinceMillis && (version == null || version.equals(w.version()))) {
                out.add(0, w);
            }
        }
        return out;
    }

    private static Window window(String deviceId, JsonNode m) {
        String top = "";
        double topKs = Double.NaN;
        long inputDrifted = 0;
        for (JsonNode f : m.path("features")) {
            boolean input = !"output".equals(f.path("source").asText("input"));
            if (input && f.path("drifted").asBoolean()) {
                inputDrifted++;
            }
            if (input && (Double.isNaN(topKs) || f.path("ksStatistic").asDouble() > topKs)) {
                topKs = f.path("ksStatistic").asDouble();
                top = f.path("name").asText();
            }
        }
        JsonNode live = m.path("liveAccuracy");
        return new Window(deviceId, m.path("model").path("version").asText(), Instant.parse(m.path("windowStart").asText())
                .toEpochMilli(), m.path("drifted").asBoolean(), m.path("output").path("drifted").asBoolean(), inputDrifted,
                top, topKs, m.path("output").path("psi").asDouble(Double.NaN),
                m.path("estimatedAccuracy").isNumber() ? m.path("estimatedAccuracy").asDouble() : Double.NaN,
                live.isObject() ? live.path("accuracy").asDouble() : Double.NaN);
    }
}
