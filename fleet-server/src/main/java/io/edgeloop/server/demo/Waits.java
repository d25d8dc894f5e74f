package io.edgeloop.server.demo;

import java.time.Duration;

/** Polls a condition until it holds, or fails the stage naming what did not happen in time. */
final class Waits {
    static final long POLL_MILLIS = 500;

    interface Condition {
        boolean holds() throws Exception;
    }

    private Waits() {
    }

    static void until(Duration timeout, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new StageFailure("waited " + timeout.toSeconds() + " s for " + what
                        + "; see the logs under the demo's work folder");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
