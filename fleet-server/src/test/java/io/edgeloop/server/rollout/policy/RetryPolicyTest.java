package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.job.JobExecutionState;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static io.edgeloop.protocol.job.JobExecutionState.CANCELED;
import static io.edgeloop.protocol.job.JobExecutionState.FAILED;
import static io.edgeloop.protocol.job.JobExecutionState.REJECTED;
import static io.edgeloop.protocol.job.JobExecutionState.SUCCEEDED;
import static io.edgeloop.protocol.job.JobExecutionState.TIMED_OUT;
import static io.edgeloop.server.rollout.policy.WavePlanTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    @Test
    void retriesUpToMaxRetriesAfterTheFirstAttempt() {
        RetryPolicy two = RetryPolicy.of(2);
        assertTrue(two.shouldRetry(FAILED, 1));
        assertTrue(two.shouldRetry(TIMED_OUT, 2));
        assertFalse(two.shouldRetry(FAILED, 3), "1 attempt + 2 retries used");
        assertFalse(RetryPolicy.NONE.shouldRetry(FAILED, 1));
    }

    @Test
    void onlyTheNamedOutcomesAreRetried() {
        RetryPolicy onFailed = new RetryPolicy(3, EnumSet.of(FAILED));
        assertTrue(onFailed.shouldRetry(FAILED, 1));
        assertFalse(onFailed.shouldRetry(TIMED_OUT, 1));
        for (JobExecutionState s : EnumSet.of(SUCCEEDED, REJECTED, CANCELED, JobExecutionState.ROLLED_BACK,
                JobExecutionState.QUEUED, JobExecutionState.IN_PROGRESS)) {
            assertFalse(RetryPolicy.of(10).shouldRetry(s, 1), s.name());
        }
        assertFalse(new RetryPolicy(3, Set.of()).shouldRetry(FAILED, 1));
    }

    @Test
    void refusesWhatCannotBeRetried() {
        assertRefused(() -> new RetryPolicy(1, EnumSet.of(REJECTED)), "retryOn", "REJECTED");
        assertRefused(() -> new RetryPolicy(-1, RetryPolicy.RETRYABLE), "retries", "0..10");
        assertRefused(() -> new RetryPolicy(11, RetryPolicy.RETRYABLE), "retries", "0..10");
        assertRefused(() -> new RetryPolicy(1, null), "retryOn", "missing");
        assertRefused(() -> RetryPolicy.NONE.shouldRetry(FAILED, 0), "attemptsSoFar", ">= 1");
    }

    @Test
    void retryOnIsACopy() {
        Set<JobExecutionState> mutable = EnumSet.of(FAILED);
        RetryPolicy policy = new RetryPolicy(1, mutable);
        mutable.add(TIMED_OUT);
        assertEquals(Set.of(FAILED), policy.retryOn());
        assertThrows(UnsupportedOperationException.class, () -> policy.retryOn().add(TIMED_OUT));
    }
}
