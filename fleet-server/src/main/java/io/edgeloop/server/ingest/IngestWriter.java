package io.edgeloop.server.ingest;

import io.edgeloop.server.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread between the MQTT callback and the database: it takes what has arrived (up to
 * {@code maxBatch}, lingering briefly when little has), writes it in one transaction, and only
 * then acknowledges each message to the broker. So a message is acknowledged only once it is
 * committed, and a crash loses none: the broker redelivers what was not acknowledged, and the
 * unique key drops what was stored twice. A database failure keeps the batch and retries it.
 */
final class IngestWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestWriter.class);

    private final BlockingQueue<Arrival> queue;
    private final IngestOptions options;
    private final Database db;
    private final IngestDecoder decoder;
    private final IngestStore store;
    private final Consumer<Arrival> ack;
    private final IngestCounters counters;
    private final Thread thread;
    private volatile boolean closed;
    private Connection connection;

    IngestWriter(IngestOptions options, Database db, IngestDecoder decoder, IngestStore store, Consumer<Arrival> ack,
                 IngestCounters counters) {
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.db = db;
        this.decoder = decoder;
        this.store = store;
        this.ack = ack;
        this.counters = counters;
        this.thread = new Thread(this::run, "ingest-writer-" + options.clientId());
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands over an arrival; waits while the queue is full (the broker then holds its messages). */
    void offer(Arrival arrival) throws InterruptedException {
        counters.received.incrementAndGet();
        queue.put(arrival);
    }

    private void run() {
        List<Arrival> arrivals = new ArrayList<>(options.maxBatch());
        while (!closed) {
            try {
                Arrival first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                arrivals.add(first);
                collect(arrivals);
                if (write(arrivals)) {
                    arrivals.forEach(ack);
                }
                arrivals.clear();
            } catch (InterruptedException e) {
                break;
            }
        }
        closeConnection();
    }

    private void collect(List<Arrival> arrivals) throws InterruptedException {
        long deadline = System.nanoTime() + options.linger().toNanos();
        while (arrivals.size() < options.maxBatch()) {
            queue.drainTo(arrivals, options.maxBatch() - arrivals.size());
            long left = deadline - System.nanoTime();
            if (arrivals.size() >= options.maxBatch() || left <= 0) {
                return;
            }
            Arrival next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            arrivals.add(next);
        }
    }

    /** Writes the batch, retrying with back-off until it commits; false when closed first. */
    private boolean write(List<Arrival> arrivals) throws InterruptedException {
        IngestBatch batch = new IngestBatch();
        arrivals.forEach(a -> decoder.add(batch, a));
        long backoff = 100;
        while (!closed) {
            try {
                int inserted = store.write(connection(), batch);
                counters.batches.incrementAndGet();
                counters.stored.addAndGet(inserted);
                counters.duplicates.addAndGet(batch.rows().size() - inserted);
                counters.rejected.addAndGet(batch.rejects().values().stream().mapToLong(IngestBatch.Rejects::count).sum());
                return true;
            } catch (SQLException | RuntimeException e) {
                counters.retries.incrementAndGet();
                LOG.warn("STORAGE_FAILED: a batch of {} messages was not stored, retrying in {} ms: {}", arrivals.size(),
                        backoff, e.toString());
                closeConnection();
                for (long slept = 0; slept < backoff && !closed; slept += 50) {
                    Thread.sleep(50);
                }
                backoff = Math.min(5_000, backoff * 2);
            }
        }
        return false;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = db.connect();
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the ingest connection: {}", e.toString());
            }
            connection = null;
        }
    }

    /** Stops after the batch in hand; what is queued and not written stays unacknowledged. */
    @Override
    public void close() {
        // No interrupt: H2 closes its file channel when a thread is interrupted inside it.
        closed = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
