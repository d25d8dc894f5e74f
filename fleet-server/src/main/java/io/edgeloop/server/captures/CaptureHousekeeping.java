package io.edgeloop.server.captures;

import io.edgeloop.protocol.EdgeLoopException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the capture retention on its own thread: a sweep soon after start and then every
 * {@code interval}, and a quota check after inserts (the devices that grew, coalesced while one
 * check runs), which sweeps when a device or the total is over its quota. Each replica runs one;
 * sweeps of two replicas delete by id and overlap harmlessly.
 */
public final class CaptureHousekeeping implements AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    static final Duration FIRST_SWEEP = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(CaptureHousekeeping.class);

    private final CaptureStore store;
    private final ScheduledExecutorService thread;
    private final Set<String> grown = new LinkedHashSet<>();
    private boolean checkQueued;

    /** Starts the periodic sweep. */
    public CaptureHousekeeping(CaptureStore store, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the capture retention interval must be positive, was " + interval);
        }
        this.store = store;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "capture-retention");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::sweep, Math.min(FIRST_SWEEP.toMillis(), interval.toMillis()),
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** New captures of {@code devices} were committed: their quota (and the total) is checked soon. */
    public void inserted(Collection<String> devices) {
        if (!store.retention().hasQuota() || devices.isEmpty()) {
            return;
        }
        synchronized (grown) {
            grown.addAll(devices);
            if (checkQueued) {
                return;
            }
            checkQueued = true;
        }
        try {
            thread.execute(this::checkQuota);
        } catch (RejectedExecutionException closing) {
            LOG.debug("capture quota check skipped: closing");
        }
    }

    private void checkQuota() {
        Set<String> devices;
        synchronized (grown) {
            devices = new LinkedHashSet<>(grown);
            grown.clear();
            checkQueued = false;
        }
        try {
            log(store.sweepIfOverQuota(devices));
        } catch (EdgeLoopException | RuntimeException e) {
            LOG.warn("capture quota check failed: {}", e.toString());
        }
    }

    private void sweep() {
        try {
            log(store.sweep());
        } catch (EdgeLoopException | RuntimeException e) {
            LOG.warn("capture retention sweep failed: {}", e.toString());
        }
    }

    private static void log(RetentionSweep s) {
        if (s != null && s.changed()) {
            LOG.info("capture retention deleted {} captures ({} past the maximum age, {} over a device quota, {} over the"
                            + " total quota; {} bytes) and {} labels that waited too long for their capture",
                    s.deleted(), s.byAge(), s.byDeviceQuota(), s.byTotalQuota(), s.bytesFreed(), s.pendingLabelsExpired());
        }
    }

    @Override
    public void close() {
        // No interrupt: H2 closes its file channel when a thread is interrupted inside it.
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
