package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.job.JobExecutionState;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static io.edgeloop.server.rollout.policy.WavePlanTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AbortCriteriaTest {
    /** queued, inProgress, succeeded, failed, rejected, timedOut, canceled, rolledBack. */
    private static ExecutionCounts counts(int... n) {
        return new ExecutionCounts(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]);
    }

    @Test
    void countsSumTerminalStatesAndFailureKinds() {
        ExecutionCounts c = counts(1, 2, 3, 4, 5, 6, 7, 8);
        assertEquals(3 + 4 + 5 + 6 + 7 + 8, c.executed());
        assertEquals(36, c.total());
        assertEquals(3, c.pending());
        assertEquals(4, c.failures(FailureType.FAILED));
        assertEquals(5, c.failures(FailureType.REJECTED));
        assertEquals(6, c.failures(FailureType.TIMED_OUT));
        assertEquals(15, c.failures(FailureType.ALL), "canceled and rolled back are the server's decisions");
        for (JobExecutionState s : JobExecutionState.values()) {
            assertEquals(c.count(s) + 1, c.plus(s).count(s));
            assertEquals(c.total() + 1, c.plus(s).total());
        }
        Map<JobExecutionState, Long> byState = new EnumMap<>(JobExecutionState.class);
        byState.put(JobExecutionState.SUCCEEDED, 3L);
        byState.put(JobExecutionState.TIMED_OUT, 1L);
        assertEquals(counts(0, 0, 3, 0, 0, 1, 0, 0), ExecutionCounts.of(byState));
        assertRefused(() -> counts(0, 0, -1, 0, 0, 0, 0, 0), "succeeded", ">= 0");
        assertEquals(counts(2, 4, 6, 8, 10, 12, 14, 16), c.plus(c));
    }

    @Test
    void tripsAtTheThresholdOnceEnoughExecuted() {
        AbortCriteria c = new AbortCriteria(FailureType.ALL, 20, 5);
        assertFalse(c.tripped(counts(0, 0, 0, 4, 0, 0, 0, 0)), "4 failures of 4 executed, 5 needed");
        assertTrue(c.tripped(counts(0, 0, 1, 4, 0, 0, 0, 0)));
        assertTrue(c.tripped(counts(0, 0, 4, 1, 0, 0, 0, 0)), "1 of 5 is exactly 20 %");
        assertFalse(c.tripped(counts(0, 0, 5, 1, 0, 0, 0, 0)), "1 of 6 is 16.7 %");
        assertTrue(c.tripped(counts(0, 0, 3, 0, 1, 1, 0, 0)), "rejected and timed out count for ALL");
        assertFalse(c.tripped(counts(9, 9, 0, 0, 0, 0, 0, 0)), "pending executions are not executed");
        assertFalse(c.tripped(ExecutionCounts.NONE));
    }

    @Test
    void countsOnlyItsFailureType() {
        AbortCriteria rejected = new AbortCriteria(FailureType.REJECTED, 50, 2);
        assertFalse(rejected.tripped(counts(0, 0, 0, 10, 0, 0, 0, 0)), "FAILED is not REJECTED");
        assertTrue(rejected.tripped(counts(0, 0, 1, 0, 1, 0, 0, 0)));
        AbortCriteria timedOut = new AbortCriteria(FailureType.TIMED_OUT, 100, 1);
        assertTrue(timedOut.tripped(counts(0, 0, 0, 0, 0, 1, 0, 0)));
        assertFalse(timedOut.tripped(counts(0, 0, 1, 0, 0, 1, 0, 0)));
    }

    @Test
    void canceledAndRolledBackDiluteButNeverTrip() {
        AbortCriteria c = new AbortCriteria(FailureType.ALL, 10, 1);
        assertFalse(c.tripped(counts(0, 0, 0, 0, 0, 0, 5, 5)));
    }

    @Test
    void describeGivesTheFigures() {
        String text = AbortCriteria.DEFAULT.describe(counts(0, 0, 3, 1, 0, 0, 0, 0));
        assertEquals("1 of 4 executed are failures (25.0 %); aborts at 20 % once 1 executed", text);
        assertTrue(new AbortCriteria(FailureType.TIMED_OUT, 12.5, 3).describe(ExecutionCounts.NONE)
                .contains("TIMED_OUT (0.0 %); aborts at 12.5 %"));
    }

    @Test
    void refusesThresholdsOutsideTheirRange() {
        assertRefused(() -> new AbortCriteria(FailureType.ALL, 0, 1), "thresholdPercent", "> 0");
        assertRefused(() -> new AbortCriteria(FailureType.ALL, 100.5, 1), "thresholdPercent", "100");
        assertRefused(() -> new AbortCriteria(FailureType.ALL, Double.NaN, 1), "thresholdPercent", "NaN");
        assertRefused(() -> new AbortCriteria(FailureType.ALL, 10, 0), "minExecuted", ">= 1");
        assertRefused(() -> new AbortCriteria(null, 10, 1), "failureType", "missing");
    }
}
