package io.edgeloop.agent.health;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Request latencies (HdrHistogram, microsecond resolution), counts and errors, plus process and
 * disk figures, summarised into a {@link HealthSnapshot} per interval. Recording is lock-free.
 */
public final class HealthMonitor {
    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Histogram total = new Histogram(MAX_LATENCY_MICROS, 3);
    private final LongAdder requests = new LongAdder();
    private final LongAdder inferences = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder requestsTotal = new LongAdder();
    private final LongAdder inferencesTotal = new LongAdder();
    private final LongAdder errorsTotal = new LongAdder();
    private final ShadowStats shadow = new ShadowStats();
    private final Path dataDir;
    private final Supplier<Map<String, String>> activeVersions;
    private final Supplier<Map<String, String>> shadowVersions;
    private final long startNanos = System.nanoTime();
    private long lastSnapshotNanos = startNanos;
    private Histogram interval;

    public HealthMonitor(Path dataDir, Supplier<Map<String, String>> activeVersions,
                         Supplier<Map<String, String>> shadowVersions) {
        this.dataDir = dataDir;
        this.activeVersions = activeVersions;
        this.shadowVersions = shadowVersions;
    }

    /** One answered request of {@code rows} inferences that took {@code nanos}. */
    public void recordRequest(long nanos, long rows) {
        latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(1, nanos / 1000)));
        requests.increment();
        requestsTotal.increment();
        inferences.add(rows);
        inferencesTotal.add(rows);
    }

    public void recordError() {
        errors.increment();
        errorsTotal.increment();
    }

    public ShadowStats shadow() {
        return shadow;
    }

    public long requestsTotal() {
        return requestsTotal.sum();
    }

    public long inferencesTotal() {
        return inferencesTotal.sum();
    }

    public long errorsTotal() {
        return errorsTotal.sum();
    }

    public double uptimeSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Latency percentile over everything recorded up to the last snapshot, in milliseconds. */
    public synchronized double totalPercentileMs(double percentile) {
        return total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Figures since the previous snapshot; starts a new interval. */
    public synchronized HealthSnapshot snapshot() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - lastSnapshotNanos) / 1e9);
        lastSnapshotNanos = now;
        interval = latency.getIntervalHistogram(interval);
        total.add(interval);
        long req = requests.sumThenReset();
        long inf = inferences.sumThenReset();
        long err = errors.sumThenReset();
        long free;
        try {
            free = Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            free = -1;
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new HealthSnapshot(seconds, req, inf, err, ms(interval, 50), ms(interval, 95), ms(interval, 99),
                interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1000.0, inf / seconds,
                ProcessStats.processCpuLoad(), ProcessStats.systemCpuLoad(), ProcessStats.residentBytes(), heap, free,
                uptimeSeconds(), activeVersions.get(), shadowVersions.get(), shadow.compared(), shadow.agreement(),
                shadow.latencyDeltaMs());
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
