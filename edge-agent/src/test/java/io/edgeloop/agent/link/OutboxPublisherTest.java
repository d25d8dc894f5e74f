package io.edgeloop.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgeloop.agent.buffer.AgentDb;
import io.edgeloop.agent.buffer.BufferOptions;
import io.edgeloop.agent.buffer.OutboxEntry;
import io.edgeloop.agent.buffer.TelemetryOutbox;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxPublisherTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sendsInOrderWithinTheWindowAndDeletesOnlyAcknowledgedEntries() throws Exception {
        try (AgentDb db = new AgentDb(dir.resolve("db"), BufferOptions.DEFAULT)) {
            TelemetryOutbox outbox = new TelemetryOutbox(db);
            for (int i = 0; i < 5; i++) {
                outbox.append("health", bytes("h" + i));
            }
            outbox.append("drift", bytes("d0"));
            OutboxPublisher publisher = new OutboxPublisher(outbox, "dev", 3);
            List<OutboxEntry> sent = new ArrayList<>();
            List<String> topics = new ArrayList<>();
            assertEquals(3, publisher.pump((topic, payload, e) -> topics.add(topic) && sent.add(e)));
            assertEquals(List.of(1L, 2L, 3L), sent.stream().map(OutboxEntry::seq).toList());
            assertEquals(Topics.health("dev"), topics.get(0));
            assertEquals(0, publisher.pump((topic, payload, e) -> sent.add(e)), "the window is full");
            publisher.acknowledged(sent.get(0));
            publisher.failed(sent.get(1));
            // seq 2 failed: it and what follows are sent again (the server drops the copies), then the
            // drift stream gets the room left; seq 1 is gone from the outbox.
            List<OutboxEntry> again = new ArrayList<>();
            assertEquals(3, publisher.pump((topic, payload, e) -> again.add(e)));
            assertEquals(List.of("health/2", "health/3", "drift/1"),
                    again.stream().map(e -> e.stream() + "/" + e.seq()).toList());
            assertEquals(List.of(2L, 3L, 4L, 5L), outbox.pending("health", 10).stream().map(OutboxEntry::seq).toList());
        }
    }

    @Test
    void anAcknowledgementArrivingBeforeSendReturnsDoesNotLeakTheWindow() throws Exception {
        try (AgentDb db = new AgentDb(dir.resolve("db"), BufferOptions.DEFAULT)) {
            TelemetryOutbox outbox = new TelemetryOutbox(db);
            for (int i = 0; i < 10; i++) {
                outbox.append("health", bytes("h" + i));
            }
            OutboxPublisher publisher = new OutboxPublisher(outbox, "dev", 2);
            int sent = 0;
            for (int round = 0; round < 10; round++) {
                sent += publisher.pump((topic, payload, e) -> {
                    publisher.acknowledged(e); // the broker was faster than the sender's bookkeeping
                    return true;
                });
            }
            assertEquals(10, sent);
            assertEquals(0, publisher.inFlight());
            assertEquals(List.of(), outbox.pending("health", 10));
        }
    }

    @Test
    void jobUpdatesGoFirstEachToItsJobsTopicInOrder() throws Exception {
        try (AgentDb db = new AgentDb(dir.resolve("db"), BufferOptions.DEFAULT)) {
            TelemetryOutbox outbox = new TelemetryOutbox(db);
            MessageCodec codec = new MessageCodec();
            outbox.append("health", bytes("h0"));
            for (int v = 1; v <= 3; v++) {
                long version = v;
                String job = v == 2 ? "job-b" : "job-a";
                outbox.append(TelemetryOutbox.JOB_UPDATES, seq -> codec.encode(new JobExecutionUpdate("dev", Instant.now(), seq,
                        job, JobExecutionState.IN_PROGRESS, JobStep.DOWNLOADING, Map.of(), version, null)));
            }
            OutboxPublisher publisher = new OutboxPublisher(outbox, "dev", 10);
            List<String> topics = new ArrayList<>();
            assertEquals(4, publisher.pump((topic, payload, e) -> topics.add(topic)));
            assertEquals(List.of(Topics.jobUpdate("dev", "job-a"), Topics.jobUpdate("dev", "job-b"),
                    Topics.jobUpdate("dev", "job-a"), Topics.health("dev")), topics);
        }
    }
}
