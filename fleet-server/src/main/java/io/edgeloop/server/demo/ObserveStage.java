package io.edgeloop.server.demo;

import io.edgeloop.server.fleet.FleetClient;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A demo stage that watches the fleet's drift telemetry at the server: waits until every device
 * has reported {@code windows} full drift windows of one version that began after a moment (v1
 * on the clean camera, v1 after the shift, the retrained version after its rollout), then prints
 * each device's verdicts and figures.
 */
final class ObserveStage implements DemoStage {
    private final String title;
    private final int windows;
    private final Function<LoopRecord, String> version;
    private final ToLongFunction<LoopRecord> since;
    private final DemoSettings settings;
    private final String note;

    /** @param note printed under the table (what the figures do and do not say), or null */
    ObserveStage(String title, int windows, Function<LoopRecord, String> version, ToLongFunction<LoopRecord> since,
                 DemoSettings settings, String note) {
        this.note = note;
        this.title = title;
        this.windows = windows;
        this.version = version;
        this.since = since;
        this.settings = settings;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public void run(DemoContext context) throws Exception {
        DemoFleet fleet = context.get(DemoKeys.FLEET);
        FleetClient rest = fleet.rest();
        LoopRecord record = context.get(DemoKeys.RECORD);
        String v = version.apply(record);
        long from = since.applyAsLong(record);
        PrintStream out = context.out();
        Map<String, List<DriftWindows.Window>> seen = new HashMap<>();
        long[] lastPrint = {System.nanoTime()};
        Waits.until(settings.stageTimeout(), windows + " drift windows of version " + v + " from every device", () -> {
            for (DemoFleet.Device d : fleet.devices()) {
                seen.put(d.id(), DriftWindows.read(rest, d.id(), v, from));
            }
            if (System.nanoTime() - lastPrint[0] > 10_000_000_000L) {
                lastPrint[0] = System.nanoTime();
                out.printf("      waiting for drift windows of %s: %s (traffic: %d requests, %d labels)%n", v,
                        counts(fleet, seen), context.get(DemoKeys.TRAFFIC).requests(),
                        context.get(DemoKeys.ANNOTATOR).posted());
            }
            return fleet.devices().stream().allMatch(d -> seen.get(d.id()).size() >= windows);
        });
        out.printf("      %-6s %-8s %-7s %-8s %-11s %-22s %-10s %-8s %-8s%n", "device", "camera", "version", "drifted",
                "output drift", "top input KS", "output PSI", "est. acc", "live acc");
        for (DemoFleet.Device d : fleet.devices()) {
            List<DriftWindows.Window> ws = seen.get(d.id());
            DriftWindows.Stats s = DriftWindows.Stats.of(ws);
            DriftWindows.Window last = ws.get(ws.size() - 1);
            out.printf("      %-6s %-8s %-7s %-8s %-11s %-22s %-10.3f %-8.3f %-8s%n", d.id(),
                    d.shifted() && record.shiftedAtMillis > 0 ? "new" : "original", v, s.driftedShare(),
                    s.outputDrifted() + "/" + ws.size(),
                    String.format("%s %.3f", last.topFeature(), s.meanTopFeatureKs()), s.meanOutputPsi(),
                    s.meanEstimatedAccuracy(), Double.isNaN(s.meanLiveAccuracy()) ? "-"
                            : String.format("%.3f", s.meanLiveAccuracy()));
        }
        if (note != null) {
            out.printf("      %s%n", note);
        }
    }

    private static String counts(DemoFleet fleet, Map<String, List<DriftWindows.Window>> seen) {
        StringBuilder b = new StringBuilder();
        for (DemoFleet.Device d : fleet.devices()) {
            b.append(b.length() == 0 ? "" : ", ").append(d.id()).append(' ').append(seen.get(d.id()).size());
        }
        return b.toString();
    }
}
