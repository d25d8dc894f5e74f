package io.edgeloop.bench.capture;

import org.HdrHistogram.Histogram;

/**
 * Puts one record after another for a fixed time (or until a record cap, which bounds the disk a
 * run takes), timing each put. Runs of one side add up into one {@link Tally}.
 */
public final class TimedPuts {
    /** One put of record {@code i}. */
    public interface Put {
        void put(long i) throws Exception;
    }

    private TimedPuts() {
    }

    /** Runs {@code put} for {@code seconds} or {@code maxRecords} puts, whichever comes first. */
    public static Tally run(Put put, double seconds, long maxRecords) throws Exception {
        Tally tally = new Tally();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long now = start;
        for (long i = 0; i < maxRecords && now < end; i++) {
            long t = System.nanoTime();
            put.put(i);
            now = System.nanoTime();
            tally.latencyNanos.recordValue(Math.max(1, now - t));
            tally.records++;
        }
        tally.nanos = now - start;
        return tally;
    }

    /** Records and time of one side, over all its runs. */
    public static final class Tally {
        private final Histogram latencyNanos = new Histogram(3);
        private long records;
        private long nanos;

        public void add(Tally other) {
            latencyNanos.add(other.latencyNanos);
            records += other.records;
            nanos += other.nanos;
        }

        public long records() {
            return records;
        }

        public double seconds() {
            return nanos / 1e9;
        }

        public double perSecond() {
            return nanos == 0 ? 0 : records / seconds();
        }

        public double percentileMicros(double percentile) {
            return latencyNanos.getValueAtPercentile(percentile) / 1000.0;
        }
    }
}
