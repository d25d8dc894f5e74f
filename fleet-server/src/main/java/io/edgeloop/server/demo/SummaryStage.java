package io.edgeloop.server.demo;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.server.fleet.FleetClient;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Last demo stage: per version, accuracy on the held-out test images 0-1999 as the original
 * camera and as the new one sees them (measured on the stored package, see
 * {@link PackageEvaluation}), package size, rollout time, drift statistics of shifted and clean
 * devices and the gate decisions; then the acceptance points, which decide the exit status.
 */
final class SummaryStage implements DemoStage {
    static final DemoContext.Key<Acceptance> ACCEPTANCE = new DemoContext.Key<>("acceptance", Acceptance.class);
    static final double MAX_CLEAN_DROP = 0.01;

    @Override
    public String title() {
        return "summary: accuracy on held-out clean and shifted images, package size, rollout time, drift, gates";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        DemoFleet fleet = context.get(DemoKeys.FLEET);
        FleetClient rest = fleet.rest();
        LoopRecord record = context.get(DemoKeys.RECORD);
        PrintStream out = context.out();
        Dataset test = context.get(DemoKeys.TEST);
        Dataset clean = test.head(TrafficDriver.HOLDOUT);
        Dataset shifted = new CameraShift(28).apply(clean, 0);
        List<LoopRecord.Version> versions = new ArrayList<>();
        for (LoopRecord.Version v : record.versions()) {
            if (v.packageVersion == null) {
                continue;
            }
            Path pkg = PackageEvaluation.download(rest, fleet.server().url(), record.model, v.packageVersion,
                    fleet.devices().get(0).id(), context.workDir().resolve("packages"));
            v.cleanAccuracy = PackageEvaluation.accuracy(pkg, clean);
            v.driftedAccuracy = PackageEvaluation.accuracy(pkg, shifted);
            drift(rest, fleet, record, v);
            versions.add(v);
        }
        SummaryTable table = new SummaryTable("version", "package", "size", "rollout", "acc clean", "acc new camera",
                "drift on shifted devices", "drift on clean devices");
        for (LoopRecord.Version v : versions) {
            table.row(v.label + " (registry v" + v.registryVersion + ")", record.model + ":" + v.packageVersion,
                    String.format("%,d B", v.packageBytes), v.rolloutState == null ? "-"
                            : String.format("%s in %.1f s", v.rolloutState, v.rolloutSeconds),
                    String.format("%.4f", v.cleanAccuracy), String.format("%.4f", v.driftedAccuracy),
                    describe(v.shiftedDrift), describe(v.cleanDrift));
        }
        out.println();
        table.print(out, "  ");
        out.println("  accuracy: held-out test images 0-" + (TrafficDriver.HOLDOUT - 1) + " (never sent as traffic),"
                + " original and through the new camera, on the package variant this machine runs");
        out.println("  drift: windows drifted (by any test) / windows, of them drifted in the model's outputs; mean output"
                + " PSI; mean label-free estimated accuracy; mean live accuracy from the annotator's labels");
        traffic(out, context.get(DemoKeys.TRAFFIC), context.get(DemoKeys.ANNOTATOR), record);
        out.println("  gate decisions:");
        for (LoopRecord.Version v : versions) {
            for (String g : v.gates) {
                out.printf("    %s: %s%n", v.label, g);
            }
        }
        Acceptance acceptance = accept(versions);
        acceptance.print(out);
        context.put(ACCEPTANCE, acceptance);
    }

    private static void drift(FleetClient rest, DemoFleet fleet, LoopRecord record, LoopRecord.Version v) throws Exception {
        List<DriftWindows.Window> onShifted = new ArrayList<>();
        List<DriftWindows.Window> onClean = new ArrayList<>();
        boolean first = record.versions().get(0) == v;
        for (DemoFleet.Device d : fleet.devices()) {
            // v1 on a shifted device: the windows after its camera changed; otherwise all of the version's windows.
            long since = first && d.shifted() ? record.shiftedAtMillis : v.rolloutDoneMillis;
            List<DriftWindows.Window> windows = DriftWindows.read(rest, d.id(), v.packageVersion, since);
            (d.shifted() ? onShifted : onClean).addAll(windows);
            (d.shifted() ? v.shiftedDevices : v.cleanDevices).put(d.id(), DriftWindows.Stats.of(windows));
        }
        v.shiftedDrift = DriftWindows.Stats.of(onShifted);
        v.cleanDrift = DriftWindows.Stats.of(onClean);
    }

    private static String describe(DriftWindows.Stats s) {
        if (s == null || s.windows() == 0) {
            return "no windows";
        }
        return String.format("%s drifted (outputs %d), PSI %.3f, est %.3f, live %s", s.driftedShare(), s.outputDrifted(),
                s.meanOutputPsi(),
                s.meanEstimatedAccuracy(), Double.isNaN(s.meanLiveAccuracy()) ? "-"
                        : String.format("%.3f", s.meanLiveAccuracy()));
    }

    /** What the traffic's answers scored against the true labels, per version and camera (through the agents). */
    private static void traffic(PrintStream out, TrafficDriver traffic, Annotator annotator, LoopRecord record) {
        out.printf("  traffic: %,d requests (%d failed), %,d labels posted by the annotator (%d refused); answers"
                + " scored against the true labels:%n", traffic.requests(), traffic.errors(), annotator.posted(),
                annotator.refused());
        java.util.Map<String, long[]> sums = new java.util.TreeMap<>();
        for (TrafficDriver.Tally t : traffic.tallies()) {
            long[] s = sums.computeIfAbsent(t.version() + (t.shifted() ? " new camera" : " original camera"), k -> new long[2]);
            s[0] += t.requests();
            s[1] += t.correct();
        }
        sums.forEach((k, s) -> out.printf("    %s %s: %.4f on %,d requests%n", record.model, k, (double) s[1] / s[0], s[0]));
    }

    private static boolean mostlyDrifted(DriftWindows.Stats s) {
        return s.windows() > 0 && 2 * s.drifted() > s.windows();
    }

    private static String perDevice(java.util.Map<String, DriftWindows.Stats> devices) {
        StringBuilder b = new StringBuilder();
        devices.forEach((id, s) -> b.append(b.length() == 0 ? "" : ", ").append(id).append(' ').append(s.driftedShare()));
        return b.toString();
    }

    static Acceptance accept(List<LoopRecord.Version> versions) {
        Acceptance a = new Acceptance();
        LoopRecord.Version v1 = versions.get(0);
        // A device reports drift when most of its windows drifted: one false alarm in many windows (each has
        // probability at most alpha) does not make a clean camera drifted, nor one clean window a shifted one.
        boolean shiftedDrifted = !v1.shiftedDevices.isEmpty() && v1.shiftedDevices.values().stream()
                .allMatch(SummaryStage::mostlyDrifted);
        boolean cleanQuiet = !v1.cleanDevices.isEmpty() && v1.cleanDevices.values().stream()
                .noneMatch(SummaryStage::mostlyDrifted) && v1.cleanDevices.values().stream().allMatch(s -> s.windows() > 0);
        a.check("drift detected on the shifted devices and not on the others", shiftedDrifted && cleanQuiet,
                "v1 windows drifted per device: " + perDevice(v1.shiftedDevices) + " (new camera); "
                        + perDevice(v1.cleanDevices) + " (original)");
        LoopRecord.Version v2 = versions.size() > 1 ? versions.get(versions.size() - 1) : null;
        a.check("v2 rolled out", v2 != null && "SUCCEEDED".equals(v2.rolloutState),
                v2 == null ? "no retrained version" : "rollout " + v2.rolloutId + " " + v2.rolloutState);
        if (v2 != null) {
            a.check("v2's accuracy on drifted data higher than v1's", v2.driftedAccuracy > v1.driftedAccuracy,
                    String.format("%.4f vs %.4f", v2.driftedAccuracy, v1.driftedAccuracy));
            a.check("clean accuracy no more than 1 pp lower", v2.cleanAccuracy >= v1.cleanAccuracy - MAX_CLEAN_DROP,
                    String.format("%.4f vs %.4f (%+.2f pp)", v2.cleanAccuracy, v1.cleanAccuracy,
                            (v2.cleanAccuracy - v1.cleanAccuracy) * 100));
        }
        return a;
    }
}
