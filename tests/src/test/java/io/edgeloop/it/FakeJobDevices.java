package io.edgeloop.it;

import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.topic.Topics;
import io.edgeloop.server.broker.ServerMqttLogin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Devices for the server-side rollout ITs, played by one Paho client with the server's broker
 * login: each device runs a job document once per job id (as an agent does: a re-sent document
 * of a job it already runs changes nothing), reporting DOWNLOADING … SUCCEEDED with
 * {@code stepMillis} between updates; every document received, re-sends included, is recorded.
 */
final class FakeJobDevices implements AutoCloseable {
    final List<JobDocument> received = new CopyOnWriteArrayList<>();
    final List<Command> commands = new CopyOnWriteArrayList<>();
    /** Jobs each device ran (device -> job ids). */
    final Map<String, Set<String>> ran = new ConcurrentHashMap<>();

    private final MqttClient client;
    private final MessageCodec codec = new MessageCodec();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong seq = new AtomicLong();
    private final long stepMillis;

    FakeJobDevices(String brokerUrl, Path serverPasswordFile, long stepMillis) throws Exception {
        this.stepMillis = stepMillis;
        ServerMqttLogin login = ServerMqttLogin.loadOrCreate(serverPasswordFile);
        client = new MqttClient(brokerUrl, "it-fake-devices-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setUserName(login.username());
        o.setPassword(login.passwordChars());
        o.setMaxInflight(2000);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("fake devices lost the broker: " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                Message m;
                try {
                    m = codec.decode(message.getPayload());
                } catch (Exception e) {
                    System.err.println("fake devices cannot read " + topic + ": " + e);
                    return;
                }
                if (m instanceof JobDocument job) {
                    received.add(job);
                    if (ran.computeIfAbsent(job.deviceId(), k -> ConcurrentHashMap.newKeySet()).add(job.jobId())) {
                        run(job);
                    }
                } else if (m instanceof Command c) {
                    commands.add(c);
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(o);
        client.subscribe(new String[] {Topics.ROOT + "/+/jobs/notify", Topics.ROOT + "/+/cmd/+"}, new int[] {1, 1});
    }

    private void run(JobDocument job) {
        List<JobStep> steps = List.of(JobStep.DOWNLOADING, JobStep.VERIFYING, JobStep.INSTALLING, JobStep.ACTIVATING);
        for (int i = 0; i <= steps.size(); i++) {
            int v = i + 1;
            JobExecutionState state = i < steps.size() ? JobExecutionState.IN_PROGRESS : JobExecutionState.SUCCEEDED;
            JobStep step = i < steps.size() ? steps.get(i) : JobStep.ACTIVATING;
            timer.schedule(() -> publish(Topics.jobUpdate(job.deviceId(), job.jobId()), new JobExecutionUpdate(
                    job.deviceId(), Instant.now(), seq.incrementAndGet(), job.jobId(), state, step, Map.of(), v, null)),
                    stepMillis * (i + 1), TimeUnit.MILLISECONDS);
        }
    }

    private void publish(String topic, Message m) {
        try {
            client.publish(topic, codec.encode(m), 1, false);
        } catch (Exception e) {
            System.err.println("fake devices could not publish on " + topic + ": " + e);
        }
    }

    /** Documents received per device (re-sends of a job included). */
    long documents(String deviceId) {
        return received.stream().filter(j -> j.deviceId().equals(deviceId)).count();
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        client.disconnect();
        client.close();
    }
}
