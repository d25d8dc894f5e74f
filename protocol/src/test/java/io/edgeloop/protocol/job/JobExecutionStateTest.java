package io.edgeloop.protocol.job;

import static io.edgeloop.protocol.job.JobExecutionState.CANCELED;
import static io.edgeloop.protocol.job.JobExecutionState.FAILED;
import static io.edgeloop.protocol.job.JobExecutionState.IN_PROGRESS;
import static io.edgeloop.protocol.job.JobExecutionState.QUEUED;
import static io.edgeloop.protocol.job.JobExecutionState.REJECTED;
import static io.edgeloop.protocol.job.JobExecutionState.ROLLED_BACK;
import static io.edgeloop.protocol.job.JobExecutionState.SUCCEEDED;
import static io.edgeloop.protocol.job.JobExecutionState.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class JobExecutionStateTest {
    @Test
    void onlyQueuedAndInProgressAreOpen() {
        assertEquals(EnumSet.of(QUEUED, IN_PROGRESS),
                EnumSet.complementOf(EnumSet.copyOf(java.util.Arrays.stream(JobExecutionState.values())
                        .filter(JobExecutionState::isTerminal).toList())));
    }

    @Test
    void theHappyPathIsLegal() {
        assertTrue(QUEUED.canMoveTo(IN_PROGRESS));
        assertTrue(IN_PROGRESS.canMoveTo(IN_PROGRESS));
        assertTrue(IN_PROGRESS.canMoveTo(SUCCEEDED));
    }

    @Test
    void everyEndIsReachableFromInProgress() {
        for (JobExecutionState end : EnumSet.of(SUCCEEDED, FAILED, REJECTED, TIMED_OUT, CANCELED, ROLLED_BACK)) {
            assertTrue(IN_PROGRESS.canMoveTo(end), end.name());
        }
    }

    @Test
    void nothingMovesBackwards() {
        for (JobExecutionState state : JobExecutionState.values()) {
            assertFalse(state.canMoveTo(QUEUED), state + " -> QUEUED");
            assertFalse(state.canMoveTo(null));
            if (state.isTerminal()) {
                assertFalse(state.canMoveTo(IN_PROGRESS), state + " -> IN_PROGRESS");
            }
        }
        assertFalse(QUEUED.canMoveTo(SUCCEEDED), "a job cannot succeed without running");
        assertFalse(QUEUED.canMoveTo(FAILED));
    }

    @Test
    void onlySucceededMayStillBeRolledBack() {
        assertTrue(SUCCEEDED.canMoveTo(ROLLED_BACK));
        for (JobExecutionState end : EnumSet.of(FAILED, REJECTED, TIMED_OUT, CANCELED, ROLLED_BACK)) {
            assertTrue(end.successors().isEmpty(), end.name());
        }
        assertEquals(EnumSet.of(ROLLED_BACK), SUCCEEDED.successors());
    }

    @Test
    void stepsRunInOrder() {
        assertEquals(JobStep.VERIFYING, JobStep.DOWNLOADING.next());
        assertEquals(JobStep.ACTIVATING, JobStep.VALIDATING.next());
        assertNull(JobStep.ACTIVATING.next());
    }
}
