package io.edgeloop.server.ingest;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.message.ModelRef;
import io.edgeloop.protocol.message.StatusMessage;
import io.edgeloop.protocol.topic.TopicSegments;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns arrivals into an {@link IngestBatch}: decodes each with {@link MessageCodec#decodeForTopic}
 * (so a device's payload must name the device of its topic) and sorts it by kind. A message that
 * fails is counted under its error code and logged, never thrown: one bad publisher must not stop
 * the consumer.
 */
public final class IngestDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(IngestDecoder.class);
    private final MessageCodec codec;
    private final CaptureSink captures;

    public IngestDecoder(MessageCodec codec) {
        this(codec, CaptureSink.NONE);
    }

    /** @param captures what refuses capture and label batches the store cannot hold */
    public IngestDecoder(MessageCodec codec, CaptureSink captures) {
        this.codec = codec;
        this.captures = captures;
    }

    /** What one arrival decodes to: the message, or the code and reason it was refused. */
    public record Outcome(Message message, ErrorCode code, String error) {
    }

    /** Decodes {@code arrival}; never throws. Thread-safe. */
    public Outcome decode(Arrival arrival) {
        try {
            return new Outcome(codec.decodeForTopic(arrival.topic(), arrival.payload()), null, null);
        } catch (EdgeLoopException e) {
            return new Outcome(null, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome(null, ErrorCode.INTERNAL, e.toString());
        }
    }

    /** Adds {@code arrival} to {@code batch}, decoding it unless that was done already. */
    public void add(IngestBatch batch, Arrival arrival) {
        Outcome outcome = arrival.decoded() != null ? arrival.decoded() : decode(arrival);
        if (outcome.message() == null) {
            reject(batch, arrival, outcome.code(), outcome.error());
            return;
        }
        Message message = outcome.message();
        if (message instanceof HealthReport h) {
            batch.health(h, row(h, "health", arrival, first(h), h.inference().p95Micros(), h.inference().errorCount(),
                    null));
        } else if (message instanceof DriftReport d) {
            batch.drift(d, row(d, "drift", arrival, d.model(), null, null, d.drifted()));
        } else if (message instanceof BirthMessage b) {
            batch.birth(b);
        } else if (message instanceof StatusMessage s) {
            batch.status(s);
        } else if (message instanceof JobExecutionUpdate u) {
            batch.jobUpdate(u);
        } else if (message instanceof CaptureBatch b) {
            String problem = captures.problem(b);
            if (problem == null) {
                batch.captures(b);
            } else {
                reject(batch, arrival, ErrorCode.MALFORMED_MESSAGE, problem);
            }
        } else if (message instanceof LabelBatch b) {
            String problem = captures.problem(b);
            if (problem == null) {
                batch.labels(b);
            } else {
                reject(batch, arrival, ErrorCode.MALFORMED_MESSAGE, problem);
            }
        } else {
            reject(batch, arrival, ErrorCode.MALFORMED_MESSAGE, message.schema() + " is server-to-agent; a device may not send it");
        }
    }

    private static ModelRef first(HealthReport h) {
        return h.activeModels().isEmpty() ? null : h.activeModels().get(0);
    }

    private static IngestBatch.Row row(Message m, String stream, Arrival a, ModelRef model, Double p95, Long errors,
                                       Boolean drifted) {
        return new IngestBatch.Row(m.deviceId(), stream, m.seq(), m.ts().toEpochMilli(),
                model == null ? "" : model.name(), model == null ? "" : model.version(), p95, errors, drifted,
                new String(a.payload(), StandardCharsets.UTF_8), a.receivedMillis());
    }

    private static void reject(IngestBatch batch, Arrival arrival, ErrorCode code, String error) {
        LOG.warn("{}: dropped a message on {}: {}", code, TopicSegments.printable(arrival.topic()), error);
        batch.reject(code, arrival.topic(), error);
    }
}
