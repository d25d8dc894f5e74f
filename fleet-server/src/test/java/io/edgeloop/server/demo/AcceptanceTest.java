package io.edgeloop.server.demo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceptanceTest {

    private static LoopRecord.Version version(String label, double clean, double drifted, String rollout,
                                              int shiftedDrifted, int cleanDrifted) {
        LoopRecord.Version v = new LoopRecord.Version(label);
        v.cleanAccuracy = clean;
        v.driftedAccuracy = drifted;
        v.rolloutState = rollout;
        v.shiftedDrift = new DriftWindows.Stats(4, shiftedDrifted, shiftedDrifted, 1.0, 0.9, 0.4, 0.45);
        v.cleanDrift = new DriftWindows.Stats(6, cleanDrifted, cleanDrifted, 0.05, 0.08, 0.86, 0.88);
        v.shiftedDevices.put("cam-4", new DriftWindows.Stats(2, Math.min(2, shiftedDrifted), 0, 1.0, 0.9, 0.4, 0.45));
        v.shiftedDevices.put("cam-5", new DriftWindows.Stats(2, Math.max(0, shiftedDrifted - 2), 0, 1.0, 0.9, 0.4, 0.45));
        v.cleanDevices.put("cam-1", new DriftWindows.Stats(2, cleanDrifted, cleanDrifted, 0.05, 0.08, 0.86, 0.88));
        v.cleanDevices.put("cam-2", new DriftWindows.Stats(4, 0, 0, 0.05, 0.08, 0.86, 0.88));
        return v;
    }

    @Test
    void passesWhenDriftIsOnlyOnTheShiftedDevicesAndV2IsBetterThereAndNotWorseOnClean() {
        Acceptance a = SummaryStage.accept(List.of(version("v1", 0.878, 0.44, "SUCCEEDED", 4, 0),
                version("v2", 0.871, 0.70, "SUCCEEDED", 4, 0)));
        assertTrue(a.passed());
    }

    @Test
    void oneFalseAlarmAmongACleanDevicesWindowsDoesNotMakeItDrifted() {
        LoopRecord.Version v1 = version("v1", 0.878, 0.44, "SUCCEEDED", 4, 0);
        v1.cleanDevices.put("cam-3", new DriftWindows.Stats(12, 1, 1, 0.05, 0.08, 0.86, 0.88));
        assertTrue(SummaryStage.accept(List.of(v1, version("v2", 0.871, 0.70, "SUCCEEDED", 4, 0))).passed());
    }

    @Test
    void namesEachPointThatFails() {
        Acceptance a = SummaryStage.accept(List.of(version("v1", 0.878, 0.44, "SUCCEEDED", 4, 2),
                version("v2", 0.860, 0.40, "ROLLED_BACK", 4, 0)));
        assertFalse(a.passed());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        a.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertEquals(4, out.lines().filter(l -> l.contains("[FAIL]")).count(), out);
        assertTrue(out.contains("cam-1 2/2"), out);
        assertTrue(out.contains("-1.80 pp"), out);
    }

    @Test
    void failsWithoutARetrainedVersion() {
        Acceptance a = SummaryStage.accept(List.of(version("v1", 0.878, 0.44, "SUCCEEDED", 4, 0)));
        assertFalse(a.passed());
    }

    @Test
    void tablePadsColumnsToTheirWidestCell() {
        SummaryTable t = new SummaryTable("version", "acc");
        t.row("v1 (registry v1)", "0.8780");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        t.print(new PrintStream(printed, true, StandardCharsets.UTF_8), "");
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("version          | acc", lines.get(0));
        assertEquals("-----------------+-------", lines.get(1));
        assertEquals("v1 (registry v1) | 0.8780", lines.get(2));
    }
}
