package io.edgeloop.agent.link;

import io.edgeloop.agent.buffer.OutboxEntry;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.topic.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the telemetry outbox in order, each stream from its oldest entry, with at most
 * {@code maxInFlight} messages unacknowledged; an entry is deleted only when its PUBACK arrives.
 * What was in flight when the connection dropped is resent by the MQTT session (or, after a
 * restart, from the outbox again); the server drops the copies it already stored by seq.
 */
final class OutboxPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
    /** The outbox stream of job execution updates; each goes to its own job's topic. */
    static final String JOB_UPDATES = TelemetryOutbox.JOB_UPDATES;
    /**
     * The outbox streams and where each goes. Job updates first: a rollout waits on them; captures
     * last: they are the bulk, and nothing waits on one of them.
     */
    static final List<String> STREAMS = List.of(JOB_UPDATES, "health", "drift", CaptureUploader.LABELS,
            CaptureUploader.CAPTURES);

    /** Hands one message to MQTT; false when it cannot be sent now (not connected, window full). */
    interface Sender {
        boolean send(String topic, byte[] payload, OutboxEntry entry);
    }

    private final TelemetryOutbox outbox;
    private final String deviceId;
    private final int maxInFlight;
    private final Map<String, Long> sentUpTo = new HashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final MessageCodec codec = new MessageCodec();

    OutboxPublisher(TelemetryOutbox outbox, String deviceId, int maxInFlight) {
        this.outbox = outbox;
        this.deviceId = deviceId;
        this.maxInFlight = maxInFlight;
    }

    /** Sends what the window allows; returns how many were handed over. */
    synchronized int pump(Sender sender) {
        int sent = 0;
        for (String stream : STREAMS) {
            int room = maxInFlight - inFlight.size();
            if (room <= 0) {
                break;
            }
            long after = sentUpTo.getOrDefault(stream, 0L);
            for (OutboxEntry e : outbox.pendingAfter(stream, after, room)) {
                // In flight before the send: the PUBACK may arrive (and remove it) before send returns.
                String key = key(stream, e.seq());
                inFlight.add(key);
                if (!sender.send(topic(stream, e.payload()), e.payload(), e)) {
                    inFlight.remove(key);
                    return sent;
                }
                sentUpTo.put(stream, e.seq());
                sent++;
            }
        }
        return sent;
    }

    /** The broker acknowledged {@code entry}: delete it. */
    void acknowledged(OutboxEntry entry) {
        try {
            outbox.acknowledge(entry.stream(), entry.seq());
        } catch (EdgeLoopException e) {
            LOG.warn("an acknowledged message stays in the outbox and will be sent again: {}", e.describe());
        }
        inFlight.remove(key(entry.stream(), entry.seq()));
    }

    /** Sending {@code entry} failed for good: send it (and what followed) again from the outbox. */
    synchronized void failed(OutboxEntry entry) {
        inFlight.remove(key(entry.stream(), entry.seq()));
        sentUpTo.merge(entry.stream(), entry.seq() - 1, Math::min);
    }

    int inFlight() {
        return inFlight.size();
    }

    private String topic(String stream, byte[] payload) {
        return switch (stream) {
            case JOB_UPDATES -> Topics.jobUpdate(deviceId, jobIdOf(payload));
            case "health" -> Topics.health(deviceId);
            case "drift" -> Topics.drift(deviceId);
            case CaptureUploader.LABELS -> Topics.labels(deviceId);
            case CaptureUploader.CAPTURES -> Topics.captures(deviceId);
            default -> throw new IllegalArgumentException("no topic for outbox stream " + stream);
        };
    }

    /** The job an update in the outbox reports on: its topic level. */
    private String jobIdOf(byte[] payload) {
        try {
            return codec.decode(payload, JobExecutionUpdate.class).jobId();
        } catch (MessageFormatException e) {
            // Only the agent writes this stream, through the same codec: an entry it cannot read is a bug.
            throw new IllegalStateException("unreadable job update in the outbox: " + e.getMessage(), e);
        }
    }

    private static String key(String stream, long seq) {
        return stream + '\0' + seq;
    }
}
