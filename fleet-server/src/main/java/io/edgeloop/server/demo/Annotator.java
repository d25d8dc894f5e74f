package io.edgeloop.server.demo;

import java.util.SplittableRandom;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An annotator who labels a seeded share of the requests some time after they were answered and
 * sends each label through the device's feedback endpoint ({@code POST /v2/models/{m}/feedback}),
 * which feeds the agent's live accuracy and goes to the server as a label of the capture.
 */
final class Annotator implements AutoCloseable {
    static final long SEED = 7L;

    private final double fraction;
    private final long delayNanos;
    private final SplittableRandom random = new SplittableRandom(SEED);
    private final DelayQueue<Label> queue = new DelayQueue<>();
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Thread thread = new Thread(this::run, "demo-annotator");

    private record Label(DemoFleet.Device device, String model, String requestId, int label, long dueNanos)
            implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Label) o).dueNanos);
        }
    }

    Annotator(double fraction, java.time.Duration delay) {
        this.fraction = fraction;
        this.delayNanos = delay.toNanos();
        thread.setDaemon(true);
        thread.start();
    }

    /** A request answered now; labelled later with probability {@code fraction}. */
    void offer(DemoFleet.Device device, String model, String requestId, int label) {
        boolean pick;
        synchronized (random) {
            pick = random.nextDouble() < fraction;
        }
        if (pick) {
            queue.add(new Label(device, model, requestId, label, System.nanoTime() + delayNanos));
        }
    }

    /** Labels the agents accepted. */
    long posted() {
        return posted.get();
    }

    /** Labels an agent refused (e.g. the prediction had already left its feedback memory). */
    long refused() {
        return refused.get();
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Label l = queue.take();
                try {
                    l.device().client().feedback(l.model(), l.requestId(), l.label());
                    posted.incrementAndGet();
                } catch (java.io.IOException e) {
                    refused.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
