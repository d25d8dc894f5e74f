package io.edgeloop.server.rollout;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.server.db.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every replica's second ear for job updates: a plain subscription beside the ingest's shared one.
 * With shared subscriptions a broker hands each update to one replica, and what it handed to a
 * replica that was then killed stays queued in that replica's session; a survivor would wait for
 * those devices until their jobs time out. Hearing every update here too, the survivor applies
 * them; the message sequence number makes the second copy a no-op wherever it lands second.
 * Best effort (a clean session, applied on a thread of its own): the ingest stays the path that
 * acknowledges only what is committed.
 */
final class JobUpdateListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobUpdateListener.class);

    private final Database db;
    private final JobUpdateHandler handler;
    private final MessageCodec codec = new MessageCodec();
    private final LinkedBlockingQueue<JobExecutionUpdate> queue = new LinkedBlockingQueue<>(100_000);
    private final Thread thread;
    private volatile boolean closed;

    JobUpdateListener(Database db, JobUpdateHandler handler) {
        this.db = db;
        this.handler = handler;
        this.thread = new Thread(this::run, "rollout-job-updates");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called with each message on a job update topic. */
    void arrived(String topic, byte[] payload) {
        try {
            Message m = codec.decodeForTopic(topic, payload);
            if (m instanceof JobExecutionUpdate u && !queue.offer(u)) {
                LOG.debug("job update queue full; {} is left to the ingest", topic);
            }
        } catch (EdgeLoopException | RuntimeException e) {
            LOG.debug("job update on {} not read: {}", topic, e.toString());
        }
    }

    private void run() {
        List<JobExecutionUpdate> batch = new ArrayList<>();
        while (!closed) {
            try {
                JobExecutionUpdate first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 999);
                db.transaction(c -> {
                    handler.apply(c, batch);
                    return null;
                });
                handler.committed();
            } catch (InterruptedException e) {
                return;
            } catch (EdgeLoopException | RuntimeException e) {
                // The ingest has its own copy and retries; this path only speeds a survivor up.
                LOG.debug("job updates not applied here ({}); the ingest's copy stands", e.toString());
            }
            batch.clear();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
