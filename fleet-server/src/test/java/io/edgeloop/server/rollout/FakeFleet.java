package io.edgeloop.server.rollout;

import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.topic.Topics;
import io.edgeloop.server.broker.ServerMqttLogin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Devices played by one plain Paho client (with the server's broker login, which may use every
 * device's topics): each job document and command a device receives is recorded, and answered
 * with the updates its {@link Behaviour} says, as a real agent would on {@code jobs/{id}/update}.
 */
final class FakeFleet implements AutoCloseable {
    /** How a device answers a job document: the updates it sends, in order (none: it stays silent). */
    interface Behaviour {
        List<Reply> answer(JobDocument job);
    }

    /** One update to send: state, step, error code; version is counted per job. */
    record Reply(JobExecutionState state, JobStep step, ErrorCode code) {
    }

    static final Behaviour SUCCEED = job -> List.of(new Reply(JobExecutionState.IN_PROGRESS, JobStep.DOWNLOADING, null),
            new Reply(JobExecutionState.IN_PROGRESS, JobStep.VERIFYING, null),
            new Reply(JobExecutionState.IN_PROGRESS, JobStep.INSTALLING, null),
            new Reply(JobExecutionState.IN_PROGRESS, JobStep.ACTIVATING, null),
            new Reply(JobExecutionState.SUCCEEDED, JobStep.ACTIVATING, null));
    static final Behaviour SILENT = job -> List.of();
    static final Behaviour REJECT = job -> List.of(new Reply(JobExecutionState.REJECTED, null,
            ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT));
    static final Behaviour FAIL_VALIDATION = job -> List.of(
            new Reply(JobExecutionState.IN_PROGRESS, JobStep.DOWNLOADING, null),
            new Reply(JobExecutionState.FAILED, JobStep.VALIDATING, ErrorCode.VALIDATION_FAILED));

    final List<JobDocument> jobs = new CopyOnWriteArrayList<>();
    final List<Command> commands = new CopyOnWriteArrayList<>();
    final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    volatile Behaviour defaultBehaviour = SUCCEED;
    /** Reply to cmd/rollback with ROLLED_BACK (on the job it names). */
    volatile boolean confirmRollbacks = true;

    private final MqttClient client;
    private final MessageCodec codec = new MessageCodec();
    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    // Answers leave the Paho callback thread, which must not publish and wait.
    private final ExecutorService replies = Executors.newSingleThreadExecutor();

    FakeFleet(String brokerUrl, Path serverPasswordFile) throws Exception {
        ServerMqttLogin login = ServerMqttLogin.loadOrCreate(serverPasswordFile);
        client = new MqttClient(brokerUrl, "fake-fleet-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setUserName(login.username());
        o.setPassword(login.passwordChars());
        o.setMaxInflight(1000);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("fake fleet lost its connection: " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                Message m;
                try {
                    m = codec.decode(message.getPayload());
                } catch (Exception e) {
                    System.err.println("fake fleet cannot read " + topic + ": " + e);
                    return;
                }
                if (m instanceof JobDocument job) {
                    jobs.add(job);
                    Behaviour b = behaviours.getOrDefault(job.deviceId(), defaultBehaviour);
                    List<Reply> answers = b.answer(job);
                    replies.submit(() -> send(job.deviceId(), job.jobId(), answers));
                } else if (m instanceof Command c) {
                    commands.add(c);
                    if (c.name() == CommandName.ROLLBACK && confirmRollbacks && c.args().containsKey("jobId")) {
                        replies.submit(() -> send(c.deviceId(), c.args().get("jobId"),
                                List.of(new Reply(JobExecutionState.ROLLED_BACK, null, ErrorCode.ROLLED_BACK))));
                    }
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(o);
        client.subscribe(new String[] {Topics.ROOT + "/+/jobs/notify", Topics.ROOT + "/+/cmd/+"}, new int[] {1, 1});
    }

    /** Sends updates for a job, each with the next version of that job. */
    void send(String deviceId, String jobId, List<Reply> answers) {
        for (Reply r : answers) {
            long v = versions.computeIfAbsent(deviceId + "/" + jobId, k -> new AtomicLong()).incrementAndGet();
            sendVersion(deviceId, jobId, r, v);
        }
    }

    /** Sends one update with an explicit version (a stale or replayed one). */
    void sendVersion(String deviceId, String jobId, Reply r, long version) {
        publish(Topics.jobUpdate(deviceId, jobId), new JobExecutionUpdate(deviceId, Instant.now(), seq.incrementAndGet(),
                jobId, r.state(), r.step(), Map.of(), version, r.code()));
    }

    void publish(String topic, Message m) {
        try {
            client.publish(topic, codec.encode(m), 1, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<JobDocument> jobsOf(String deviceId) {
        return jobs.stream().filter(j -> j.deviceId().equals(deviceId)).toList();
    }

    List<Command> commands(CommandName name) {
        return commands.stream().filter(c -> c.name() == name).toList();
    }

    @Override
    public void close() throws Exception {
        replies.shutdown();
        client.disconnect();
        client.close();
    }
}
